import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SsmVersionStore, parseVersionRecord, versionRecordProblems } from '../../../../updater/adapters/aws/ssm-version-store';
import { VERSION_RECORD_PLACEHOLDER, type VersionRecord } from '../../../../updater/core/ports';
import { moto, startMoto, type MotoServer } from '../../../support/moto';
import { describeWith } from '../../../support/requirements';
import { emulatorClientConfig } from './emulator-clients';

const RECORD: VersionRecord = {
  version: 'v1.4.0',
  digest: `sha256:${'2'.repeat(64)}`,
  revision: 'arn:aws:ecs:eu-central-1:123456789012:task-definition/acme-prod-default:8',
  previous: { version: 'v1.3.0', digest: `sha256:${'1'.repeat(64)}`, revision: 'arn:aws:ecs:eu-central-1:123456789012:task-definition/acme-prod-default:7' },
  updatedAt: '2026-11-22T03:02:41.000Z',
};

describe('parseVersionRecord', () => {
  it('reads a full record and one right after the first deployment (no revision, no previous)', () => {
    expect(parseVersionRecord(JSON.stringify(RECORD), 'p')).toEqual(RECORD);
    const first = { version: 'v1.3.0', digest: `sha256:${'1'.repeat(64)}`, updatedAt: '2026-11-20T09:00:00.000Z' };
    expect(parseVersionRecord(JSON.stringify(first), 'p')).toEqual(first);
  });

  it('ignores fields it does not know (a newer updater may write more)', () => {
    expect(parseVersionRecord(JSON.stringify({ ...RECORD, channel: 'minor' }), 'p')).toEqual(RECORD);
  });

  it.each([
    ['not JSON', 'v1.4.0', /^SSM parameter \/x does not hold a version record: its value is not JSON \("v1\.4\.0"\); write a valid record/],
    ['an array', '[]', /expected a JSON object, got \[\]/],
    ['a tag as digest', JSON.stringify({ ...RECORD, digest: 'v1.4.0' }), /digest must be sha256:<64 hex>, got "v1\.4\.0"/],
    ['no version', JSON.stringify({ digest: RECORD.digest, updatedAt: RECORD.updatedAt }), /version must be a non-empty string, got nothing/],
    ['a bad time', JSON.stringify({ ...RECORD, updatedAt: 'yesterday' }), /updatedAt must be an ISO time, got "yesterday"/],
    ['a bad previous', JSON.stringify({ ...RECORD, previous: { version: 'v1.3.0', digest: 'sha256:abc' } }), /previous\.digest must be sha256:<64 hex>/],
    ['another JSON placeholder', '{"bootstrap":"done"}', /version must be .*; digest must be .*; updatedAt must be/],
  ])('fails on %s, naming the parameter and the fix', (_, text, message) => {
    expect(() => parseVersionRecord(text, 'SSM parameter /x')).toThrow(message);
    expect(() => parseVersionRecord(text, 'SSM parameter /x')).toThrow(/SSM parameter \/x .*aws ssm put-parameter --overwrite/);
  });

  it('versionRecordProblems lists every problem at once', () => {
    expect(versionRecordProblems({ version: '', digest: 1, revision: '', updatedAt: 0 })).toHaveLength(4);
  });
});

describeWith([moto], 'SsmVersionStore on the AWS API emulator', () => {
  let server: MotoServer;
  let ssm: SSMClient;
  const NAME = '/private-runner-kit/acme-prod/runners/default/version';
  const store = (name = NAME) => new SsmVersionStore({ ssm, parameterName: name });

  beforeAll(async () => {
    server = await startMoto();
    ssm = new SSMClient(emulatorClientConfig(server.endpoint));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('reads a missing parameter as no record', async () => {
    await expect(store('/private-runner-kit/acme-prod/runners/missing/version').read()).resolves.toBeUndefined();
  });

  it('reads the placeholder Terraform creates the parameter with as no record', async () => {
    await ssm.send(new PutParameterCommand({ Name: NAME, Value: VERSION_RECORD_PLACEHOLDER, Type: 'String' }));
    await expect(store().read()).resolves.toBeUndefined();
  });

  it('round-trips a record, overwriting the placeholder, as a String parameter of JSON', async () => {
    await store().write(RECORD);
    await expect(store().read()).resolves.toEqual(RECORD);
    const stored = (await ssm.send(new GetParameterCommand({ Name: NAME }))).Parameter!;
    expect(stored.Type).toBe('String');
    expect(JSON.parse(stored.Value!)).toEqual(RECORD);
    expect(stored.Version).toBe(2);
  });

  it('fails on a corrupt value, naming the parameter', async () => {
    const corrupt = '/private-runner-kit/acme-prod/runners/corrupt/version';
    await ssm.send(new PutParameterCommand({ Name: corrupt, Value: '{"version":"v1.4.0"', Type: 'String' }));
    await expect(store(corrupt).read()).rejects.toThrow(`SSM parameter ${corrupt} does not hold a version record: its value is not JSON`);
  });

  it('refuses to write an invalid record', async () => {
    await expect(store().write({ ...RECORD, digest: 'latest' })).rejects.toThrow(
      `refusing to write an invalid version record to SSM parameter ${NAME}: digest must be sha256:<64 hex>, got "latest"`,
    );
    await expect(store().read()).resolves.toEqual(RECORD);
  });
});
