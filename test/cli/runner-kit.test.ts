import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { COMMANDS, main } from '../../cli/runner-kit';
import { captureIo, EXAMPLE_CONFIG, makeTempDir, removeDir, REPO_ROOT } from './capture-io';

const BIN = path.join(REPO_ROOT, 'bin', 'runner-kit.js');

describe('runner-kit dispatcher', () => {
  it('--help lists every command with its summary and exits 0', async () => {
    const c = captureIo();
    expect(await main(['--help'], c.io)).toBe(0);
    const lines = c.stdout().split('\n').map((l) => l.trim().split(/\s{2,}/));
    for (const [name, command] of Object.entries(COMMANDS)) expect(lines).toContainEqual([name, command.summary]);
    expect(c.stderr()).toBe('');
  });

  it('help <command> prints that command’s usage', async () => {
    const c = captureIo();
    expect(await main(['help', 'keys'], c.io)).toBe(0);
    expect(c.stdout()).toBe(COMMANDS.keys!.usage);
  });

  it.each(Object.keys(COMMANDS))('%s --help prints its usage and exits 0', async (name) => {
    const c = captureIo();
    expect(await main([name, '--help'], c.io)).toBe(0);
    expect(c.stdout()).toMatch(new RegExp(`^Usage: runner-kit ${name} `));
  });

  it('--version prints the package name and version', async () => {
    const c = captureIo();
    expect(await main(['--version'], c.io)).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
    expect(c.stdout()).toBe(`${manifest.name} ${manifest.version}\n`);
  });

  it.each<[string, string[], string]>([
    ['no command', [], 'runner-kit: no command given; commands: validate, keys'],
    ['an unknown command', ['deploy'], 'runner-kit: unknown command "deploy"; commands: validate, keys'],
    ['an inherited property name', ['constructor'], 'runner-kit: unknown command "constructor"'],
    ['an option before the command', ['--json', 'validate'], 'runner-kit: unknown option --json (options go after the command)'],
    ['help for an unknown command', ['help', 'deploy'], 'runner-kit: unknown command "deploy"'],
  ])('fails with exit 2 on %s, with the usage on stderr and nothing on stdout', async (_what, argv, message) => {
    const c = captureIo();
    expect(await main(argv, c.io)).toBe(2);
    expect(c.stderr().split('\n')[0]).toContain(message);
    expect(c.stderr()).toContain('Usage: runner-kit <command> [options]');
    expect(c.stdout()).toBe('');
  });

  it('passes the remaining arguments and the io to the command', async () => {
    const c = captureIo({ env: { RUNNER_KIT_CONFIG: EXAMPLE_CONFIG } });
    expect(await main(['validate', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.stdout())).toMatchObject({ ok: true, config: EXAMPLE_CONFIG });
  });
});

describe('bin/runner-kit.js (end to end, spawned)', () => {
  let elsewhere: string;
  beforeAll(() => {
    elsewhere = makeTempDir('elsewhere');
  });
  afterAll(() => removeDir(elsewhere));

  function spawnBin(argv: string[], cwd: string): SpawnSyncReturns<string> {
    const env = { ...process.env };
    delete env.RUNNER_KIT_CONFIG;
    return spawnSync(process.execPath, [BIN, ...argv], { cwd, env, encoding: 'utf8', timeout: 20_000 });
  }

  it('is an executable node script', () => {
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(BIN).mode & 0o111).toBe(0o111);
  });

  it('validate --json --config examples/aws-ecs.yaml exits 0 with the JSON report', () => {
    const result = spawnBin(['validate', '--json', '--config', 'examples/aws-ecs.yaml'], REPO_ROOT);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: true,
      config: EXAMPLE_CONFIG,
      targets: [{ name: 'ecsexample', cloud: 'aws', platform: 'ecs', region: 'eu-central-1', runners: ['default'] }],
    });
  });

  it('works from another working directory and passes exit codes through (1: config not found)', () => {
    const result = spawnBin(['validate', '--json'], elsewhere);
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, config: path.join(elsewhere, 'runner-kit.yaml') });
  });

  it('exits 2 on a bad command line', () => {
    const result = spawnBin(['valdate'], elsewhere);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown command "valdate"');
  });
});
