/**
 * Hostile and mistaken input (issue 16): values the kit used to accept and then half-deploy,
 * silently drop or pass on. Each must be a field-level error naming the value and the fix.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { readFileSync } from 'node:fs';
import type { ConfigIssue } from '../../../../constructs/core/config/config-error';
import { loadConfigFile, MAX_CONFIG_BYTES, parseConfig, validateConfigObject } from '../../../../constructs/core/config/load';
import { EXAMPLE_AWS_ECS } from '../../../support/synth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The ECS example as data, its only target patched, validated; the issues found (paths without the target prefix). */
function issuesWith(patch: (t: Json, doc: Json) => void): ConfigIssue[] {
  const doc = parse(readFileSync(EXAMPLE_AWS_ECS, 'utf8')) as Json;
  patch(doc.targets.ecsexample, doc);
  const r = parseConfig(stringify(doc), 'test.yaml');
  return r.ok ? [] : r.issues.map((i) => ({ ...i, path: i.path.replace(/^targets\.ecsexample\.?/, '') }));
}
function issueAt(patch: (t: Json, doc: Json) => void, at: string): ConfigIssue {
  const all = issuesWith(patch);
  const hit = all.find((i) => i.path === at);
  if (!hit) throw new Error(`no issue at ${at}; got: ${JSON.stringify(all.map((i) => `${i.path}: ${i.message}`))}`);
  expect(hit.fix.length).toBeGreaterThan(10);
  return hit;
}

describe('naming rule: user-given names have no "-", the delimiter of every resource name', () => {
  it('GIVEN a runner name with a hyphen THEN it is rejected before synthesis (it used to fail in the check pack)', () => {
    const issue = issueAt((t) => {
      t.runners['eu-main'] = t.runners.default;
      delete t.runners.default;
    }, 'runners.eu-main');
    expect(issue.message).toMatch(/contains "-", the separator/);
    expect(issue.fix).toMatch(/"eumain"/);
  });

  it('GIVEN a target name with a hyphen THEN it is rejected with a suggestion', () => {
    const issue = issueAt((_t, doc) => {
      doc.targets['prod-eu'] = doc.targets.ecsexample;
      delete doc.targets.ecsexample;
    }, 'targets.prod-eu');
    expect(issue.message).toMatch(/contains "-", the separator the kit puts between a target name/);
    expect(issue.fix).toMatch(/"prodeu"/);
  });

  it('GIVEN target prod with runner eu-main and target prod-eu with runner main (colliding names) THEN the config is rejected', () => {
    const all = issuesWith((t, doc) => {
      const copy = structuredClone(t);
      t.runners['eu-main'] = t.runners.default;
      delete t.runners.default;
      copy.runners.main = copy.runners.default;
      delete copy.runners.default;
      copy.runners.main.uuid = '3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e50';
      doc.targets = { prod: t, 'prod-eu': copy };
    });
    expect(all.map((i) => i.path)).toEqual(expect.arrayContaining(['targets.prod.runners.eu-main', 'targets.prod-eu']));
  });
});

describe('values that would not arrive as written', () => {
  it.each([
    ['a newline in the meshStack URL', (t: Json) => (t.meshstack.apiUrl = 'https://federation.example.meshcloud.io/\nx'), 'meshstack.apiUrl', /control character U\+000A/],
    ['credentials in the meshStack URL', (t: Json) => (t.meshstack.apiUrl = 'https://user:pass@federation.example.meshcloud.io'), 'meshstack.apiUrl', /embeds credentials/],
    ['a query in the meshStack URL', (t: Json) => (t.meshstack.apiUrl = 'https://federation.example.meshcloud.io/?x=1'), 'meshstack.apiUrl', /query or fragment/],
    ['braces in the meshStack URL', (t: Json) => (t.meshstack.apiUrl = 'https://federation.example.meshcloud.io/${x}'), 'meshstack.apiUrl', /cannot hold unescaped/],
    ['a version beyond 2^53', (t: Json) => (t.runners.default.version = 'v99999999999999999999.0.0'), 'runners.default.version', /too large for the updater/],
    ['a 50 MB apiClientId', (t: Json) => (t.runners.default.apiClientId = 'x'.repeat(5000)), 'runners.default.apiClientId', /5000 characters long; no field takes more than 4096/],
    ['a long apiClientId', (t: Json) => (t.runners.default.apiClientId = 'x'.repeat(300)), 'runners.default.apiClientId', /at most 256/],
    ['a decomposed (NFD) string', (t: Json) => (t.runners.default.apiClientId = 'caf\u0065\u0301'), 'runners.default.apiClientId', /normalization form NFC/],
    ['a byte-order mark', (t: Json) => (t.runners.default.apiClientId = 'client\uFEFFid'), 'runners.default.apiClientId', /U\+FEFF/],
    ["cdktf's token marker", (t: Json) => (t.runners.default.apiClientId = 'id-${TfToken[TOKEN.1]}'), 'runners.default.apiClientId', /marker of cdktf's internal references/],
    ['a number beyond 2^53', (t: Json) => (t.runners.default.privateKeyVersion = 1e300), 'runners.default.privateKeyVersion', /too large to be represented exactly/],
    ['a duplicate e-mail address', (t: Json) => (t.alarms.emails = ['ops@example.com', 'ops@EXAMPLE.com']), 'alarms.emails[1]', /same address as alarms.emails\[0\]/],
    ['an e-mail address with a space', (t: Json) => (t.alarms.emails = ['ops team@example.com']), 'alarms.emails[0]', /not an e-mail address/],
  ])('GIVEN %s THEN it is rejected at the field', (_what, patch, at, message) => {
    expect(issueAt(patch, at).message).toMatch(message);
  });

  it.each([
    ['a whole target', (_t: Json, doc: Json) => (doc.targets = JSON.parse(`{"__proto__": ${JSON.stringify(doc.targets.ecsexample)}, "ecsexample": ${JSON.stringify(doc.targets.ecsexample)}}`)), 'targets.__proto__'],
    ['a runner', (t: Json) => (t.runners = JSON.parse(`{"default": ${JSON.stringify(t.runners.default)}, "__proto__": ${JSON.stringify(t.runners.default)}}`)), 'runners.__proto__'],
    ['a tag', (t: Json) => (t.tags = JSON.parse('{"__proto__": "x", "team": "a"}')), 'tags.__proto__'],
  ])('GIVEN %s named __proto__ THEN it is rejected by name, not silently dropped', (_what, patch, at) => {
    expect(issueAt(patch, at).message).toMatch(/JavaScript cannot hold as data/);
  });

  it('GIVEN __proto__ keys in an already parsed object THEN validateConfigObject rejects them too', () => {
    const r = validateConfigObject(JSON.parse('{"targets": {"__proto__": {"cloud": "aws"}}}'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues.map((i) => i.path)).toContain('targets.__proto__');
  });
});

describe('limits the deploy would hit', () => {
  it('GIVEN 11 extra egress ports THEN they are rejected (443 plus at most 10 opt-ins)', () => {
    expect(issueAt((t) => (t.network.egressExtraPorts = Array.from({ length: 11 }, (_, i) => 1000 + i)), 'network.egressExtraPorts').message).toMatch(/at most 10 opted-in ports/);
  });

  it('GIVEN 200 extra egress ports THEN the security-group quota is named too', () => {
    const messages = issuesWith((t) => (t.network.egressExtraPorts = Array.from({ length: 200 }, (_, i) => 1000 + i))).map((i) => i.message);
    expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/AWS allows 60 per direction/)]));
  });

  it('GIVEN 11 runners THEN the target is rejected (at most 10)', () => {
    const issue = issueAt((t) => {
      for (let i = 0; i < 11; i++) t.runners[`r${i}`] = { ...t.runners.default, uuid: `3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e${String(i).padStart(2, '0')}` };
      delete t.runners.default;
    }, 'runners');
    expect(issue.message).toMatch(/has 11 runners; a target holds at most 10/);
  });

  it.each([
    ['a b c d e', /is not a 5-field cron/],
    ['* * * * *', /1 minute\(s\) after a previous run/],
    ['0,5 * * * *', /5 minute\(s\) after a previous run/],
    ['0 3 1 * 1', /has no EventBridge Scheduler form/],
    ['0 25 * * *', /is not a 5-field cron/],
    ['cron(0 3 * * ? *)', /is not a 5-field cron/],
    [`0 3 * * ${'*'.repeat(300)}`, /at most 128/],
  ])('GIVEN the schedule %s THEN it is rejected', (schedule, message) => {
    expect(issueAt((t) => (t.updates.schedule = schedule), 'updates.schedule').message).toMatch(message);
  });

  it.each(['0 3 * * *', '*/15 * * * *', '30 2 * * 1-5', '0 3 1 * *', '0 3 * 6 0', '0 * * * *'])('accepts the schedule %s', (schedule) => {
    expect(issuesWith((t) => (t.updates.schedule = schedule))).toEqual([]);
  });

  it('GIVEN two images that would share a mirror repository THEN the second is rejected', () => {
    const issue = issueAt((t) => {
      t.runners.other = { ...t.runners.default, uuid: '3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e50', image: 'registry.example.com/fork/tf-block-runner' };
    }, 'runners.other.image');
    expect(issue.message).toMatch(/same repository \("<target>\/tf-block-runner"\)/);
  });
});

describe('the emulator profile', () => {
  it.each([
    ['http://10.0.0.5:4566', /is not on this machine/],
    ['http://moto.example.com:4566', /is not on this machine/],
    ['http://127.0.0.1:4566/path', /origin only/],
  ])('GIVEN aws.endpoint %s THEN it is refused', (endpoint, message) => {
    expect(issueAt((t) => (t.aws.endpoint = endpoint), 'aws.endpoint').message).toMatch(message);
  });

  it.each(['http://127.0.0.1:4566', 'http://localhost:5000', 'http://[::1]:4566'])('accepts the loopback endpoint %s', (endpoint) => {
    expect(issuesWith((t) => (t.aws.endpoint = endpoint))).toEqual([]);
  });

  it('GIVEN the opt-out THEN the profile printed at synthesis warns that every call goes to that host', () => {
    const { describeEmulatorProfile } = require('../../../../constructs/aws/emulator-profile') as typeof import('../../../../constructs/aws/emulator-profile');
    expect(describeEmulatorProfile('prod', 'https://emulator.example.com')).toMatch(/^\[prod\] WARNING: aws.endpoint https:\/\/emulator.example.com is NOT on this machine/);
    expect(describeEmulatorProfile('prod', 'http://127.0.0.1:4566')).not.toMatch(/WARNING/);
  });

  it('GIVEN a remote endpoint and the loudly named opt-out THEN https is accepted and http is not', () => {
    expect(issuesWith((t) => Object.assign(t.aws, { endpoint: 'https://emulator.example.com', allowRemoteEndpoint: true }))).toEqual([]);
    expect(issueAt((t) => Object.assign(t.aws, { endpoint: 'http://emulator.example.com', allowRemoteEndpoint: true }), 'aws.endpoint').message).toMatch(/plain http/);
  });
});

describe('tags', () => {
  it.each([
    ['managed-by', 'tags.managed-by', /tag key the kit sets itself \("managed-by"\)/],
    ['Managed-By', 'tags.Managed-By', /tag key the kit sets itself \("managed-by"\)/],
    ['Name', 'tags.Name', /tag key the kit sets itself \("Name"\)/],
    ['runner-kit:version', 'tags["runner-kit:version"]', /tag key the kit sets itself/],
  ])('GIVEN a user tag %s THEN it is an error, not a silent override', (key, at, message) => {
    expect(issueAt((t) => (t.tags[key] = 'x'), at).message).toMatch(message);
  });

  it('GIVEN 47 tags THEN they are accepted; 48 are not (50 per resource, 3 for the kit)', () => {
    const tags = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`t${i}`, 'v']));
    expect(issuesWith((t) => (t.tags = tags(47)))).toEqual([]);
    expect(issueAt((t) => (t.tags = tags(48)), 'tags').message).toMatch(/AWS allows 50 per resource/);
  });

  it('GIVEN tag keys differing only in case, or characters IAM refuses THEN they are rejected', () => {
    expect(issueAt((t) => (t.tags = { Team: 'a', team: 'b' }), 'tags.team').message).toMatch(/only in case/);
    expect(issueAt((t) => (t.tags = { team: 'a$b' }), 'tags.team').message).toMatch(/not a tag value AWS accepts/);
  });
});

describe('state backend', () => {
  it.each(['cdktf.out/x.tfstate', './cdktf.out/prod.tfstate', '/home/me/project/cdktf.out/state.tfstate'])('GIVEN a local state path %s inside the synthesis output THEN it is rejected', (p) => {
    expect(issueAt((t) => (t.stateBackend = { type: 'local', path: p }), 'stateBackend.path').message).toMatch(/inside cdktf.out/);
  });

  it.each([
    ['bucket', { bucket: 'My_Bucket' }, /not an S3 bucket name/],
    ['bucket', { bucket: 'a..b' }, /adjacent dots/],
    ['kmsKeyId', { bucket: 'state-bucket', kmsKeyId: 'my key' }, /not a KMS key id/],
  ])('GIVEN an S3 backend %s AWS refuses THEN it is rejected', (field, backend, message) => {
    expect(issueAt((t) => (t.stateBackend = { type: 's3', ...backend }), `stateBackend.${field}`).message).toMatch(message);
  });
});

describe('config files that are not files', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'config-files-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN /dev/zero THEN it is refused at once as not a regular file (it used to hang)', () => {
    const started = Date.now();
    const r = loadConfigFile('/dev/zero');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(!r.ok && r.issues[0]!.message).toMatch(/not a regular file/);
  });

  it('GIVEN a FIFO nobody writes to THEN it is refused without blocking', () => {
    const fifo = path.join(dir, 'config.fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return void process.stderr.write('skipped: mkfifo is missing\n');
    const r = loadConfigFile(fifo);
    expect(!r.ok && r.issues[0]!.message).toMatch(/not a regular file/);
  });

  it('GIVEN a file larger than 1 MiB THEN it is refused without parsing', () => {
    const big = path.join(dir, 'big.yaml');
    writeFileSync(big, `# ${'x'.repeat(MAX_CONFIG_BYTES)}\n`);
    const r = loadConfigFile(big);
    expect(!r.ok && r.issues[0]!.message).toMatch(/a config file is at most 1048576 bytes/);
  });

  it('GIVEN a directory THEN it says so', () => {
    const r = loadConfigFile(dir);
    expect(!r.ok && r.issues[0]!.message).toMatch(/is a directory/);
  });
});

describe('raw values (property-based)', () => {
  it('GIVEN any string in apiClientId THEN it is accepted exactly when it would arrive as written', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), (s) => {
        const issues = issuesWith((t) => (t.runners.default.apiClientId = s));
        const arrives = s.normalize('NFC') === s && !/\p{Cc}/u.test(s) && !s.includes('\uFEFF') && s.trim() === s && !/[$#]\{TfToken\[/.test(s);
        expect(issues.length === 0).toBe(arrives);
        for (const i of issues) expect(i.path).toBe('runners.default.apiClientId');
      }),
      { numRuns: 300 },
    );
  });
});
