/**
 * `runner-kit update`: the command line (options, errors, exit codes) with the AWS run replaced,
 * and a real dry run against the AWS API emulator and a loopback upstream registry.
 */
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import { run, type UpdaterRunner } from '../../cli/commands/update';
import { EXIT } from '../../cli/command';
import { moto, startMoto, type MotoServer } from '../support/moto';
import { makeTestImage, pushImage, startRegistry, type LocalRegistry } from '../support/oci-registry';
import { describeWith, dockerRegistry } from '../support/requirements';
import { captureIo, EXAMPLE_CONFIG, makeTempDir, removeDir } from './capture-io';

const TARGET = 'ecsexample';

describe('runner-kit update: command line', () => {
  const calls: { action: string; version?: string; target: string }[] = [];
  const fake =
    (outcome: string): UpdaterRunner =>
    async (name, _target, payload) => {
      calls.push({ ...payload, target: name });
      return { target: name, action: payload.action, runners: { default: { outcome: outcome as never, reason: 'fake' } } };
    };
  const cmd = (argv: string[], outcome = 'up-to-date') => {
    const cap = captureIo();
    return run([...argv, '--config', EXAMPLE_CONFIG], cap.io, fake(outcome)).then((code) => ({ code, out: cap.stdout(), err: cap.stderr() }));
  };
  beforeEach(() => (calls.length = 0));

  it('--dry-run asks the updater for a check and prints its JSON', async () => {
    const r = await cmd(['--target', TARGET, '--dry-run'], 'update-available');
    expect(r.code).toBe(EXIT.ok);
    expect(calls).toEqual([{ action: 'check', target: TARGET }]);
    expect(JSON.parse(r.out)).toEqual({ target: TARGET, action: 'check', runners: { default: { outcome: 'update-available', reason: 'fake' } } });
  });

  it('without --dry-run it asks for an update, with the version when given', async () => {
    await cmd(['--target', TARGET, '--version', 'v1.3.1']);
    expect(calls).toEqual([{ action: 'update', version: 'v1.3.1', target: TARGET }]);
  });

  it('exit 1 when a runner was rolled back or failed', async () => {
    expect((await cmd(['--target', TARGET], 'rolled-back')).code).toBe(EXIT.problem);
    expect((await cmd(['--target', TARGET], 'failed')).code).toBe(EXIT.problem);
    expect((await cmd(['--target', TARGET, '--rollback'], 'rolled-back')).code).toBe(EXIT.ok);
  });

  it('exit 1 when a runner was left alone because it executes a run (deferred-busy), for an update and a rollback alike', async () => {
    expect((await cmd(['--target', TARGET], 'deferred-busy')).code).toBe(EXIT.problem);
    expect((await cmd(['--target', TARGET, '--rollback'], 'deferred-busy')).code).toBe(EXIT.problem);
  });

  it.each([
    [[], '--target is required'],
    [['--target', TARGET, '--version', 'latest'], '"version" must be a release tag vX.Y.Z'],
    [['--target', TARGET, '--rollback', '--version', 'v1.0.0'], '--rollback takes neither --dry-run nor --version'],
    [['--target', TARGET, '--force'], 'unknown option --force'],
  ])('bad command line %j: exit 2 with %s, nothing run', async (argv, message) => {
    const r = await cmd(argv);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(message);
    expect(calls).toEqual([]);
  });

  it('an unknown target: exit 1 naming the targets, nothing run', async () => {
    const r = await cmd(['--target', 'nope']);
    expect(r.code).toBe(EXIT.problem);
    expect(r.err).toContain(`no target "nope"`);
    expect(r.err).toContain(TARGET);
    expect(calls).toEqual([]);
  });
});

describeWith([moto, dockerRegistry], 'runner-kit update --dry-run against the emulator and a loopback upstream', () => {
  let server: MotoServer;
  let upstream: LocalRegistry;
  let dir: string;
  let configFile: string;

  beforeAll(async () => {
    [server, upstream] = await Promise.all([startMoto(), startRegistry()]);
    for (const tag of ['v1.3.0', 'v1.3.1', 'v1.4.0', 'latest']) await pushImage(upstream.url, 'meshcloud/tf-block-runner', makeTestImage({ layersPerPlatform: 1, layerBytes: 1024 }), tag);
    const doc = parse(readFileSync(EXAMPLE_CONFIG, 'utf8'));
    doc.targets[TARGET].aws.endpoint = server.endpoint;
    delete doc.targets[TARGET].updates.window; // a check inside no window reports what it would apply
    doc.targets[TARGET].runners.default.image = `${upstream.hostPort}/meshcloud/tf-block-runner`;
    dir = makeTempDir('update');
    configFile = path.join(dir, 'runner-kit.yaml');
    writeFileSync(configFile, stringify(doc));
    const ssm = new SSMClient({ region: 'eu-central-1', endpoint: server.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await ssm.send(
      new PutParameterCommand({
        Name: `/private-runner-kit/${TARGET}/runners/default/version`,
        Type: 'String',
        Value: JSON.stringify({ version: 'v1.3.0', digest: `sha256:${'a'.repeat(64)}`, updatedAt: '2026-11-01T00:00:00Z' }),
      }),
    );
  }, 60_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), upstream?.stop()]);
    if (dir) removeDir(dir);
  });

  it('reads the recorded version and upstream tags and prints the channel decision, changing nothing', async () => {
    const cap = captureIo();
    const code = await run(['--target', TARGET, '--dry-run', '--config', configFile], cap.io);
    expect(cap.stderr()).not.toContain('Error');
    expect(code).toBe(EXIT.ok);
    const result = JSON.parse(cap.stdout());
    // The example's channel is minor: v1.4.0, not the patch release v1.3.1.
    expect(result).toMatchObject({ target: TARGET, action: 'check', runners: { default: { outcome: 'update-available', from: 'v1.3.0', to: 'v1.4.0' } } });
  }, 60_000);
});
