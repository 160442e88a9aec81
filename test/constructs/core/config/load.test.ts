import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { formatIssue, type ConfigIssue } from '../../../../constructs/core/config/config-error';
import { loadConfigFile, parseConfig, resolveConfigPath } from '../../../../constructs/core/config/load';
import { EXAMPLE_AWS_ECS } from '../../../support/synth';

const example = readFileSync(EXAMPLE_AWS_ECS, 'utf8');
const target = (extra: string, base = exampleTargetBody()) => `targets:\n  prod:\n${indent(base + extra, 4)}`;
function exampleTargetBody(): string {
  return ['cloud: aws', 'platform: ecs', 'region: eu-central-1', 'meshstack: { apiUrl: "https://meshstack.example.com" }', 'runners:', '  default: { uuid: 3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f, apiClientId: c, version: v1.3.0 }', ''].join('\n');
}
function indent(s: string, n: number): string {
  return s.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');
}
function issues(text: string): ConfigIssue[] {
  const r = parseConfig(text, 'test.yaml');
  if (r.ok) throw new Error('expected the config to be rejected');
  return [...r.issues];
}
function issueAt(text: string, path: string, message?: RegExp): ConfigIssue {
  const all = issues(text);
  const hit = all.find((i) => i.path === path && (message === undefined || message.test(i.message)));
  if (!hit) throw new Error(`no issue at ${path}; got: ${all.map((i) => i.path).join(', ')}`);
  return hit;
}

describe('config loading', () => {
  it('accepts the shipped example and applies defaults', () => {
    const r = loadConfigFile(EXAMPLE_AWS_ECS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const t = r.config.targets['ecsexample']!;
    expect(t.runners.default).toMatchObject({ image: 'ghcr.io/meshcloud/tf-block-runner', architecture: 'x86_64', apiClientSecretVersion: 1, privateKeyVersion: 1 });
    expect(t.stateBackend).toEqual({ type: 'local' });
  });

  it('a minimal target gets the documented defaults', () => {
    const r = parseConfig(target(''));
    expect(r.ok && r.config.targets.prod).toMatchObject({
      network: { cidr: '10.42.0.0/22', zones: 2, natGateways: 'single', egressExtraPorts: [] },
      logs: { retentionDays: 90 },
      alarms: { emails: [], runnerUnhealthyMinutes: 10 },
      runners: { default: { replicas: 1, vcpu: 1, memoryMiB: 2048 } },
      updates: { channel: 'minor', schedule: '0 * * * *', timeZone: 'UTC' },
    });
  });

  it('picks the file from --config, then RUNNER_KIT_CONFIG, then ./runner-kit.yaml', () => {
    expect(resolveConfigPath('a.yaml', { RUNNER_KIT_CONFIG: 'b.yaml' }, '/w')).toBe('/w/a.yaml');
    expect(resolveConfigPath(undefined, { RUNNER_KIT_CONFIG: 'b.yaml' }, '/w')).toBe('/w/b.yaml');
    expect(resolveConfigPath(undefined, {}, '/w')).toBe('/w/runner-kit.yaml');
  });

  it('fails when the file does not exist, saying how to point at one', () => {
    const r = loadConfigFile('/nonexistent/runner-kit.yaml');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.issues[0]!.fix).toMatch(/RUNNER_KIT_CONFIG/);
  });
});

describe('config validation errors name the field, the value received and the fix', () => {
  it.each([
    ['network.cidr', 'network: { cidr: 10.0.0.0/30 }', /too small: need at least a \/24 for 2 zones/, /10\.42\.0\.0\/22/],
    ['network.cidr', 'network: { cidr: 10.0.0.1/22 }', /host bits set; the network address is 10\.0\.0\.0\/22/, /private IPv4 block/],
    ['network.cidr', 'network: { cidr: 8.8.0.0/22 }', /not in a private range/, /private block/],
    ['network.cidr', 'network: { cidr: banana }', /not an IPv4 CIDR/, /10\.42\.0\.0\/22/],
    ['network.cidr', 'network: { cidr: 10.0.0.0/12 }', /larger than a VPC/, /\/16 to \/24/],
    ['network.zones', 'network: { zones: 1 }', /too small \(minimum 2\)/, /at least 2/],
    ['network.existingSubnetIds', 'network: { existingNetworkId: vpc-0abc1234def567890 }', /required when network.existingNetworkId/, /set network.existingSubnetIds/],
    ['network.existingNetworkId', 'network: { existingNetworkId: vnet-1, existingSubnetIds: [subnet-0abc1234def567890, subnet-0abc1234def567891] }', /not a VPC id/, /vpc-0abc1234def567890/],
    ['network.egressExtraPorts[0]', 'network: { egressExtraPorts: [70000] }', /not a TCP port/, /between 1 and 65535/],
    ['meshstack.apiUrl', 'meshstack: { apiUrl: "http://meshstack.example.com" }', /must use https/, /https:\/\/meshstack\.example\.com/],
    ['runners.default.uuid', 'runners: { default: { uuid: not-a-uuid, apiClientId: c, version: v1.3.0 } }', /not a UUID/, /runner's UUID/],
    ['runners.default.version', 'runners: { default: { uuid: 3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f, apiClientId: c, version: latest } }', /not a release tag/, /v1\.3\.0/],
    ['runners.default.memoryMiB', 'runners: { default: { uuid: 3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f, apiClientId: c, version: v1.3.0, vcpu: 1, memoryMiB: 1024 } }', /does not fit 1 vCPU on Fargate/, /2048\.\.8192/],
    ['runners.default.vcpu', 'runners: { default: { uuid: 3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f, apiClientId: c, version: v1.3.0, vcpu: 3 } }', /not a Fargate task size/, /0\.25, 0\.5, 1, 2, 4, 8, 16/],
    ['region', 'region: eu-central-9', /not a aws region/, /regions\.ts/],
    ['platform', 'platform: aks', /does not run on cloud "aws"/, /ecs, eks/],
    ['logs.retentionDays', 'logs: { retentionDays: 42 }', /not a retention CloudWatch Logs accepts/, /30, 60, 90/],
    ['aws.accountId', 'aws: { accountId: "12" }', /12-digit/, /123456789012/],
  ])('%s: %s', (field, yaml, message, fix) => {
    // Later keys replace the base target's keys of the same name (a YAML merge would be rejected as duplicate).
    const base = exampleTargetBody()
      .split('\n')
      .filter((l) => !l.startsWith(`${yaml.split(':')[0]}:`) && !(yaml.startsWith('runners:') && l.startsWith('  default:')))
      .join('\n');
    const issue = issueAt(target(`${yaml}\n`, base), `targets.prod.${field}`, message);
    expect(issue.message).toMatch(message);
    expect(issue.fix).toMatch(fix);
    expect(formatIssue(issue)).toContain('got ');
  });

  it('reports every problem at once, across fields and targets, shape and meaning together', () => {
    const all = issues(`targets:
  Bad_Name:
    cloud: aws
    platform: aks
    region: nowhere
    meshstack: { apiUrl: "http://x.example.com" }
    network: { cidr: 10.0.0.0/30, zones: 1 }
    runners: { default: { uuid: nope, apiClientId: c, version: main } }
  second:
    cloud: gcp
    platfrom: gke
`);
    const paths = all.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining([
      'targets.Bad_Name', 'targets.Bad_Name.platform', 'targets.Bad_Name.region', 'targets.Bad_Name.meshstack.apiUrl',
      'targets.Bad_Name.network.cidr', 'targets.Bad_Name.network.zones', 'targets.Bad_Name.runners.default.uuid',
      'targets.Bad_Name.runners.default.version', 'targets.second.platfrom', 'targets.second.platform',
    ]));
    expect(all.find((i) => i.path === 'targets.second.platfrom')!.fix).toMatch(/did you mean "platform"/);
  });

  it('rejects duplicate target names (YAML would silently keep the last)', () => {
    const body = indent(exampleTargetBody(), 4);
    const issue = issueAt(`targets:\n  prod:\n${body}\n  prod:\n${body}`, 'targets.prod');
    expect(issue.message).toMatch(/duplicate target name \(line \d+\)/);
    expect(issue.fix).toMatch(/rename/);
  });

  it('rejects two runners with the same UUID', () => {
    const issue = issueAt(target('', exampleTargetBody().replace('runners:\n', 'runners:\n  other: { uuid: 3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f, apiClientId: d, version: v1.3.0 }\n')), 'targets.prod.runners.default.uuid');
    expect(issue.message).toMatch(/also the UUID of runner "other"/);
  });

  it('reports YAML syntax errors with line and column', () => {
    const [issue] = issues('targets:\n  prod: [unclosed\n');
    expect(issue!.path).toBe('(file)');
    expect(String(issue!.received)).toMatch(/line \d+, column \d+/);
  });

  it('says a missing field is required and what it is for', () => {
    const issue = issueAt('targets:\n  prod:\n    cloud: aws\n', 'targets.prod.meshstack');
    expect(issue.message).toBe('is required');
    expect(issue.fix).toMatch(/meshStack instance/);
  });
});

describe('config validation never crashes (property-based)', () => {
  const isIssue = (i: ConfigIssue) => typeof i.path === 'string' && i.path.length > 0 && typeof i.message === 'string' && i.message.length > 0 && typeof i.fix === 'string' && i.fix.length > 0;

  it('GIVEN arbitrary text THEN parseConfig returns ok or field-level issues, never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const r = parseConfig(text);
        if (!r.ok) expect(r.issues.every(isIssue)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN random YAML values anywhere in a target THEN every issue has a path, message and fix', () => {
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 3 })),
    })).v;
    const keys = ['cloud', 'platform', 'region', 'meshstack', 'runners', 'network', 'aws', 'tags', 'stateBackend', 'logs', 'alarms', 'junk'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...keys), value, { maxKeys: 6 }), fc.string({ maxLength: 10 }), (t, name) => {
        const r = parseConfig(stringify({ targets: { [name]: t } }));
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.issues.every(isIssue)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN the example with one line removed or duplicated THEN it never throws', () => {
    const lines = example.split('\n');
    fc.assert(
      fc.property(fc.nat(lines.length - 1), fc.boolean(), (i, duplicate) => {
        const mutated = [...lines];
        if (duplicate) mutated.splice(i, 0, lines[i]!);
        else mutated.splice(i, 1);
        const r = parseConfig(mutated.join('\n'));
        if (!r.ok) expect(r.issues.every(isIssue)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('platforms: all six of the platform table, and one a version lacks', () => {
  it('implements every platform of the README table', () => {
    const { IMPLEMENTED_KINDS } = require('../../../../kinds') as typeof import('../../../../kinds');
    expect([...IMPLEMENTED_KINDS].sort()).toEqual(['aws/ecs', 'aws/eks', 'azure/aci', 'azure/aks', 'gcp/cloudrun', 'gcp/gke']);
  });

  it('GIVEN a kind the running version does not implement THEN the issue says it is not available yet and lists what is', () => {
    const { checkTarget } = require('../../../../constructs/core/config/semantic') as typeof import('../../../../constructs/core/config/semantic');
    const issues = checkTarget('prod', { cloud: 'gcp', platform: 'gke', region: 'europe-west3' }, ['aws/ecs', 'aws/eks', 'gcp/cloudrun']);
    const issue = issues.find((i) => i.path === 'targets.prod.platform');
    expect(issue).toMatchObject({ received: 'gke', message: expect.stringMatching(/not available yet/), fix: expect.stringMatching(/aws\/ecs, aws\/eks, gcp\/cloudrun/) });
  });
});
