import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { run } from '../../cli/commands/validate';
import { captureIo, EXAMPLE_CONFIG, makeTempDir, removeDir } from './capture-io';

/** Six problems in one file: schema (unknown field) and meaning (region, https, CIDR, UUID, tag). */
const INVALID_YAML = `targets:
  prod:
    cloud: aws
    platform: ecs
    region: mars-1
    meshstack:
      apiUrl: http://insecure.example.com
    network:
      cidr: 10.0.0.0/30
    runners:
      default:
        uuid: not-a-uuid
        apiClientId: runner
        version: latest
        colour: blue
`;

const INVALID_PATHS = [
  'targets.prod.runners.default.colour',
  'targets.prod.region',
  'targets.prod.meshstack.apiUrl',
  'targets.prod.network.cidr',
  'targets.prod.runners.default.uuid',
  'targets.prod.runners.default.version',
];

let dir: string;
let twoTargets: string;
let invalid: string;

beforeAll(() => {
  dir = makeTempDir('validate');
  const example = parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as { targets: Record<string, { region: string; runners: Record<string, unknown> }> };
  const base = example.targets['ecsexample']!;
  const batch = { ...(base.runners.default as object), uuid: '0b7e4c2a-1f3d-4e5a-8b9c-7d6e5f4a3b2c', apiClientId: 'runner-batch' };
  twoTargets = path.join(dir, 'two-targets.yaml');
  writeFileSync(twoTargets, stringify({ targets: { prod: { ...base, runners: { default: base.runners.default, 'batchjobs': batch } }, staging: { ...base, region: 'eu-west-1' } } }));
  invalid = path.join(dir, 'invalid.yaml');
  writeFileSync(invalid, INVALID_YAML);
});

afterAll(() => removeDir(dir));

describe('runner-kit validate, valid config', () => {
  it('GIVEN the example THEN exit 0 and one line per target: name, cloud/platform, region, runners', async () => {
    const c = captureIo();
    expect(await run(['--config', 'examples/aws-ecs.yaml'], c.io)).toBe(0);
    expect(c.stdout()).toBe('examples/aws-ecs.yaml: valid, 1 target\n  ecsexample  aws/ecs  eu-central-1  runners: default\n');
    expect(c.stderr()).toBe('');
  });

  it('GIVEN --json THEN one parseable document with ok, the absolute config path and the targets', async () => {
    const c = captureIo();
    expect(await run(['--config', 'examples/aws-ecs.yaml', '--json'], c.io)).toBe(0);
    expect(JSON.parse(c.stdout())).toEqual({
      ok: true,
      config: EXAMPLE_CONFIG,
      targets: [{ name: 'ecsexample', cloud: 'aws', platform: 'ecs', region: 'eu-central-1', runners: ['default'] }],
    });
    expect(c.stderr()).toBe('');
  });

  it('GIVEN two targets THEN they are listed in file order, aligned, with every runner', async () => {
    const c = captureIo({ cwd: dir });
    expect(await run(['--config', 'two-targets.yaml'], c.io)).toBe(0);
    expect(c.stdout().split('\n')).toEqual([
      'two-targets.yaml: valid, 2 targets',
      '  prod     aws/ecs  eu-central-1  runners: default, batchjobs',
      '  staging  aws/ecs  eu-west-1     runners: default',
      '',
    ]);
  });

  it('GIVEN no --config THEN $RUNNER_KIT_CONFIG is used, relative to the working directory', async () => {
    const c = captureIo({ cwd: dir, env: { RUNNER_KIT_CONFIG: 'two-targets.yaml' } });
    expect(await run(['--json'], c.io)).toBe(0);
    expect(JSON.parse(c.stdout())).toMatchObject({ ok: true, config: twoTargets });
  });

  it('GIVEN neither --config nor the variable THEN ./runner-kit.yaml of the working directory is used', async () => {
    const cwd = path.join(dir, 'default-name');
    mkdirSync(cwd);
    writeFileSync(path.join(cwd, 'runner-kit.yaml'), readFileSync(EXAMPLE_CONFIG));
    const c = captureIo({ cwd });
    expect(await run([], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/^runner-kit\.yaml: valid, 1 target\n/);
  });
});

describe('runner-kit validate, invalid config', () => {
  it('GIVEN several problems THEN exit 1 and every one on stderr, nothing on stdout', async () => {
    const c = captureIo({ cwd: dir });
    expect(await run(['--config', 'invalid.yaml'], c.io)).toBe(1);
    expect(c.stdout()).toBe('');
    expect(c.stderr()).toMatch(/^invalid\.yaml: 6 problems found/);
    for (const p of INVALID_PATHS) expect(c.stderr()).toContain(`  - ${p}: got `);
    expect(c.stderr()).toContain('targets.prod.network.cidr: got "10.0.0.0/30": is too small');
  });

  it('GIVEN --json THEN exit 1 and one parseable document with every issue as {path, received, message, fix}', async () => {
    const c = captureIo({ cwd: dir });
    expect(await run(['--config', invalid, '--json'], c.io)).toBe(1);
    const report = JSON.parse(c.stdout()) as { ok: boolean; config: string; issues: Record<string, unknown>[] };
    expect(report.ok).toBe(false);
    expect(report.config).toBe(invalid);
    expect(report.issues.map((i) => i.path)).toEqual(INVALID_PATHS);
    for (const issue of report.issues) {
      expect(Object.keys(issue).sort()).toEqual(['fix', 'message', 'path', 'received']);
      expect(typeof issue.message).toBe('string');
      expect(typeof issue.fix).toBe('string');
    }
    expect(report.issues[1]).toEqual(expect.objectContaining({ path: 'targets.prod.region', received: 'mars-1' }));
    expect(c.stderr()).toBe('');
  });

  it('GIVEN a missing field THEN its issue still has "received" (null) in JSON', async () => {
    const file = path.join(dir, 'missing-region.yaml');
    writeFileSync(file, readFileSync(EXAMPLE_CONFIG, 'utf8').replace(/^ {4}region: .*\n/m, ''));
    const c = captureIo();
    expect(await run(['--config', file, '--json'], c.io)).toBe(1);
    expect(JSON.parse(c.stdout()).issues).toContainEqual(expect.objectContaining({ path: 'targets.ecsexample.region', received: null, message: 'is required' }));
  });

  it('GIVEN a YAML syntax error THEN exit 1 with the position', async () => {
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, 'targets:\n  prod: [unclosed\n');
    const c = captureIo();
    expect(await run(['--config', file, '--json'], c.io)).toBe(1);
    expect(JSON.parse(c.stdout()).issues[0]).toEqual(expect.objectContaining({ path: '(file)', message: expect.stringMatching(/^is not valid YAML/) }));
  });

  it('GIVEN a file that does not exist THEN exit 1 saying how to create or point at one', async () => {
    const c = captureIo({ cwd: dir });
    expect(await run(['--config', 'nope.yaml'], c.io)).toBe(1);
    expect(c.stderr()).toContain('(file): got');
    expect(c.stderr()).toContain('config file not found');
  });

  it('GIVEN --config /dev/zero THEN exit 1 at once: not a regular file (it used to hang)', async () => {
    const c = captureIo({ cwd: dir });
    const started = Date.now();
    expect(await run(['--config', '/dev/zero', '--json'], c.io)).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(JSON.parse(c.stdout()).issues[0]).toMatchObject({ path: '(file)', received: '/dev/zero', message: expect.stringMatching(/not a regular file/) });
  });

  it('GIVEN a directory as --config THEN exit 1 with an issue, not a crash', async () => {
    const c = captureIo();
    expect(await run(['--config', dir, '--json'], c.io)).toBe(1);
    expect(JSON.parse(c.stdout()).issues[0].message).toMatch(/is a directory/);
  });
});

describe('runner-kit validate, command line', () => {
  it('--help prints the usage and exits 0', async () => {
    const c = captureIo();
    expect(await run(['--help'], c.io)).toBe(0);
    expect(c.stdout()).toMatch(/^Usage: runner-kit validate \[--config FILE\] \[--json\]/);
  });

  it.each<[string, string[], RegExp]>([
    ['an unknown option', ['--conifg', 'x.yaml'], /unknown option --conifg; known options: --config, --json, --help/],
    ['a positional argument', ['examples/aws-ecs.yaml'], /unexpected argument "examples\/aws-ecs.yaml"/],
    ['--config without a value', ['--config'], /--config/],
    ['a value for --json', ['--json=yes'], /--json/],
  ])('fails with exit 2 when given %s, pointing at --help', async (_what, argv, message) => {
    const c = captureIo();
    expect(await run(argv, c.io)).toBe(2);
    expect(c.stderr()).toMatch(message);
    expect(c.stderr()).toContain("Run 'runner-kit validate --help' for usage.");
    expect(c.stdout()).toBe('');
  });
});
