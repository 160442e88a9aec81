/**
 * The AWS limits validation knows (constructs/core/config/aws-limits.ts) are checked against what
 * synthesis produces, so the validation cannot drift from the deployed resources:
 * - every name the stacks give a resource is in `awsResourceNames` (and nothing else is);
 * - the updater configuration validation sizes is the one in the function's environment;
 * - for every config validation accepts, from the smallest to the largest (10 runners, longest
 *   names, 47 tags), what AWS caps stays under the cap once every Terraform reference is resolved
 *   at its longest: tags per resource, inline role policies, the permissions boundary, trust policies,
 *   the runner's task definition.
 */
import fc from 'fast-check';
import { MAX_CA_CERTIFICATES_BYTES, MAX_KNOWN_HOSTS_BYTES } from '../../../constructs/core/config/trust-check';
import { TEST_CA_PEM, TEST_KNOWN_HOSTS } from '../../support/trust-material';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { parse, stringify } from 'yaml';
import { awsResourceNames, type AwsNamedType } from '../../../constructs/aws/aws-names';
import type { AwsTargetConfig } from '../../../constructs/aws/config';
import {
  AWS_MAX_TAGS_PER_RESOURCE,
  ECS_TASK_DEFINITION_KIT_BYTES,
  ECS_TASK_DEFINITION_MAX_BYTES,
  IAM_TRUST_POLICY_MAX,
  LAMBDA_ENVIRONMENT_MAX_BYTES,
  environmentBytes,
  expectedUpdaterConfig,
  taskDefinitionBytesBound,
} from '../../../constructs/aws/config-limits';
import { parseConfig } from '../../../constructs/core/config/load';
import type { KitConfig } from '../../../constructs/core/config/schema';
import { literalResolver } from '../../../constructs/aws/permissions/literal-arns';
import { unescapeTerraformTemplate } from '../../../constructs/core/terraform-text';
import { addTargetStacks } from '../../../stacks/targets';
import { UPDATER_CONFIG_ENV } from '../../../updater/entry/aws-updater-config';
import { VERSION_TAG_KEY } from '../../../updater/adapters/aws/task-definition-clone';
import { KIT_TAG_KEYS } from '../../../constructs/core/naming';
import { REPO_ROOT } from '../../support/synth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Which attribute names which resource type, as `awsResourceNames` types them. */
const NAMED: Readonly<Record<string, readonly [string, AwsNamedType]>> = {
  aws_iam_role: ['name', 'iam-role'],
  aws_iam_policy: ['name', 'iam-policy'],
  aws_lambda_function: ['function_name', 'lambda-function'],
  aws_scheduler_schedule: ['name', 'scheduler-schedule'],
  aws_cloudwatch_metric_alarm: ['alarm_name', 'cloudwatch-alarm'],
  aws_cloudwatch_log_group: ['name', 'log-group'],
  aws_ecr_repository: ['name', 'ecr-repository'],
  aws_ecs_cluster: ['name', 'ecs-cluster'],
  aws_ecs_service: ['name', 'ecs-service'],
  aws_ecs_task_definition: ['family', 'ecs-task-family'],
  aws_kms_alias: ['name', 'kms-alias'],
  aws_secretsmanager_secret: ['name', 'secret'],
  aws_security_group: ['name', 'security-group'],
  aws_sns_topic: ['name', 'sns-topic'],
  aws_ssm_parameter: ['name', 'ssm-parameter'],
  aws_eks_cluster: ['name', 'eks-cluster'],
  aws_eks_node_group: ['node_group_name', 'eks-node-group'],
  aws_launch_template: ['name', 'launch-template'],
};
/** Resource types with a name that is not account- or region-wide (scoped to a parent, or AWS's own). */
const NOT_NAMED = new Set([
  'aws_iam_role_policy',
  'aws_eks_addon',
  'aws_vpc_endpoint',
  'aws_lambda_alias',
  'aws_lambda_invocation',
  // Unique within its log group only (names from aws-names.ts, e.g. meshstackErrorsFilterName).
  'aws_cloudwatch_log_metric_filter',
]);

function exampleDoc(file: string): { doc: Json; name: string } {
  const doc = parse(readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as Json;
  return { doc, name: Object.keys(doc.targets)[0]! };
}

function validated(doc: Json): KitConfig | string {
  const r = parseConfig(stringify(doc), 'limits.yaml');
  return r.ok ? r.config : r.issues.map((i) => `${i.path}: ${i.message}`).join('\n');
}

function synthesized(config: KitConfig): { id: string; json: Json }[] {
  return addTargetStacks(Testing.app(), config).map((s) => ({ id: s.node.id, json: JSON.parse(Testing.synth(s)) as Json }));
}

function synthesizedNames(stacks: { id: string; json: Json }[]): string[] {
  const names: string[] = stacks.map((s) => `stack ${s.id}`);
  for (const { json } of stacks) {
    for (const [type, byId] of Object.entries((json.resource ?? {}) as Json)) {
      const named = NAMED[type];
      for (const body of Object.values(byId as Json) as Json[]) {
        if (named) names.push(`${named[1]} ${body[named[0]]}`);
        else if (!NOT_NAMED.has(type)) {
          for (const key of ['name', 'name_prefix', 'function_name', 'alarm_name', 'family']) expect({ type, key, named: body[key] === undefined }).toEqual({ type, key, named: true });
        }
      }
    }
  }
  return names.sort();
}

/** A config as large as validation allows in every dimension that grows a name or a policy. */
function largeDoc(file: string, runners: number, targetLength: number, runnerLength: number): { doc: Json; name: string } {
  const { doc, name } = exampleDoc(file);
  const t = doc.targets[name];
  const target = `t${'x'.repeat(targetLength - 2)}${runners}`.slice(0, targetLength);
  const base = t.runners.default;
  t.runners = Object.fromEntries(
    Array.from({ length: runners }, (_, i) => [`r${String(i).padStart(2, '0')}${'y'.repeat(Math.max(0, runnerLength - 3))}`.slice(0, runnerLength), { ...base, replicas: i === 0 ? 0 : 1, uuid: `3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d${String(i).padStart(4, '0')}` }]),
  );
  if (runnerLength < 3) t.runners = Object.fromEntries(Object.entries(t.runners).map(([, r], i) => [String.fromCharCode(97 + i), r]));
  t.tags = Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`tag${i}${'k'.repeat(120)}`, 'v'.repeat(256)]));
  t.alarms = { emails: ['ops@example.com', 'oncall@example.com'] };
  t.operatorAccess = {
    principals: ['111122223333', 'arn:aws:iam::111122223333:role/meshcloud-operators'],
    externalId: 'e'.repeat(200),
    principalArnPatterns: ['arn:aws:iam::111122223333:role/meshcloud-ops-*'],
    sourceIdentityPatterns: ['*@meshcloud.io'],
  };
  doc.targets = { [target]: t };
  return { doc, name: target };
}

/** Every Terraform reference at its longest: partition aws-us-gov, a 14-character region. */
const WORST_CASE = { accountId: '123456789012', region: 'ap-southeast-1', partition: 'aws-us-gov' };
/** Characters IAM counts: the document without whitespace outside strings (JSON.stringify writes none). */
const iamChars = (doc: unknown) => JSON.stringify(doc).length;

describe('AWS names: validation lists exactly the names synthesis gives', () => {
  it.each([['aws-ecs.yaml'], ['aws-eks.yaml']])('%s', (file) => {
    const { doc, name } = exampleDoc(file);
    const config = validated(doc) as KitConfig;
    const listed = awsResourceNames(name, config.targets[name]!).map((n) => (n.type === 'stack' ? `stack ${n.name}` : `${n.type} ${n.name}`)).sort();
    expect(synthesizedNames(synthesized(config))).toEqual(listed);
  });

  it('GIVEN a large config (10 runners, longest names) THEN the lists agree too', () => {
    for (const file of ['aws-ecs.yaml', 'aws-eks.yaml']) {
      const { doc, name } = largeDoc(file, 3, 32, 20);
      const config = validated(doc);
      if (typeof config === 'string') throw new Error(config);
      const listed = awsResourceNames(name, config.targets[name]!).map((n) => (n.type === 'stack' ? `stack ${n.name}` : `${n.type} ${n.name}`)).sort();
      expect(synthesizedNames(synthesized(config))).toEqual(listed);
    }
  });

  it("the kit's tag keys validation reserves include the updater's version tag", () => {
    expect(KIT_TAG_KEYS).toContain(VERSION_TAG_KEY);
  });
});

/** Tags per resource, inline role policies, the permissions boundary and trust policies, resolved at their longest. */
function expectWithinCaps(stacks: { json: Json }[]): void {
  for (const { json } of stacks) {
    const lit = literalResolver(json, WORST_CASE);
    const defaults = Object.keys((json.provider?.aws?.[0]?.default_tags?.[0]?.tags ?? {}) as Json);
    for (const [type, byId] of Object.entries((json.resource ?? {}) as Json)) {
      for (const [id, body] of Object.entries(byId as Json) as [string, Json][]) {
        const own = Object.keys((body.tags ?? {}) as Json);
        const extra = type === 'aws_ecs_task_definition' ? 1 : 0; // the updater's version tag on later revisions
        expect({ resource: `${type}.${id}`, tags: new Set([...defaults, ...own]).size + extra <= AWS_MAX_TAGS_PER_RESOURCE }).toEqual({ resource: `${type}.${id}`, tags: true });
      }
    }
    for (const [id, p] of Object.entries((json.resource.aws_iam_role_policy ?? {}) as Json)) {
      expect({ policy: id, chars: iamChars(lit(JSON.parse(p.policy), id)) <= 10_240 }).toEqual({ policy: id, chars: true });
    }
    for (const [id, p] of Object.entries((json.resource.aws_iam_policy ?? {}) as Json)) {
      expect({ policy: id, chars: iamChars(lit(JSON.parse(p.policy), id)) <= 6_144 }).toEqual({ policy: id, chars: true });
    }
    for (const [id, r] of Object.entries((json.resource.aws_iam_role ?? {}) as Json)) {
      expect({ role: id, chars: iamChars(lit(JSON.parse(r.assume_role_policy), id)) <= IAM_TRUST_POLICY_MAX }).toEqual({ role: id, chars: true });
    }
  }
}

describe('AWS sizes: what validation accepts fits what AWS caps (property over sizes)', () => {
  const dims = fc.record({ file: fc.constantFrom('aws-ecs.yaml', 'aws-eks.yaml'), runners: fc.integer({ min: 1, max: 10 }), targetLength: fc.constantFrom(3, 20, 32), runnerLength: fc.constantFrom(1, 8, 20) });

  it('GIVEN any accepted size THEN the updater environment validation computed is the synthesized one, and within 4 KB', () => {
    let accepted = 0;
    let refused = 0;
    fc.assert(
      fc.property(dims, ({ file, runners, targetLength, runnerLength }) => {
        const { doc, name } = largeDoc(file, runners, targetLength, runnerLength);
        const config = validated(doc);
        const env = (stacks: { json: Json }[]) => Object.values(stacks[0]!.json.resource.aws_lambda_function as Json)[0].environment.variables as Record<string, string>;
        if (typeof config === 'string') {
          refused++;
          // The only problem of these configs is their size: the updater configuration would not fit.
          expect(config).toMatch(/^[^\n]*Lambda allows 4096 bytes of environment$/);
          return;
        }
        accepted++;
        const stacks = synthesized(config);
        const variables = Object.fromEntries(Object.entries(env(stacks)).map(([k, v]) => [k, unescapeTerraformTemplate(v)]));
        expect(JSON.parse(variables[UPDATER_CONFIG_ENV]!)).toEqual(expectedUpdaterConfig(name, config.targets[name]! as AwsTargetConfig));
        expect(environmentBytes(variables)).toBeLessThanOrEqual(LAMBDA_ENVIRONMENT_MAX_BYTES);
        expectWithinCaps(stacks);
      }),
      { numRuns: 40 },
    );
    process.stderr.write(`aws-limits: ${accepted} sizes accepted, ${refused} refused for the Lambda environment\n`);
    expect(accepted).toBeGreaterThan(0);
  }, 120_000);

  it('GIVEN 10 runners with the shortest names, and the most runners that fit with the longest THEN they are accepted and within every cap', () => {
    for (const file of ['aws-ecs.yaml', 'aws-eks.yaml']) {
      const shortest = validated(largeDoc(file, 10, 3, 1).doc);
      if (typeof shortest === 'string') throw new Error(shortest);
      expectWithinCaps(synthesized(shortest));
      let largest: KitConfig | undefined;
      for (let runners = 10; runners >= 1 && largest === undefined; runners--) {
        const config = validated(largeDoc(file, runners, 32, 20).doc);
        if (typeof config !== 'string') largest = config;
      }
      expect(largest).toBeDefined();
      expectWithinCaps(synthesized(largest!));
    }
  }, 120_000);

  it('GIVEN the longest accepted user values THEN the task definition is within the bound validation uses, and the bound within 64 KiB', () => {
    const { doc, name } = exampleDoc('aws-ecs.yaml');
    const t = doc.targets[name];
    t.runners.default.apiClientId = '€'.repeat(256); // 3 bytes each in UTF-8
    t.meshstack.apiUrl = `https://federation.example.meshcloud.io/${'a'.repeat(2048 - 40)}`;
    // The most trust material accepted: CAs up to 14 KiB and known hosts up to 8 KiB.
    t.trust = { caCertificates: Array(Math.floor(MAX_CA_CERTIFICATES_BYTES / (TEST_CA_PEM.length + 1))).fill(TEST_CA_PEM).join('\n'), sshKnownHosts: Array(Math.floor((8 * 1024) / (TEST_KNOWN_HOSTS.length + 1))).fill(TEST_KNOWN_HOSTS).join('\n') };
    const config = validated(doc);
    if (typeof config === 'string') throw new Error(config);
    const [{ json }] = synthesized(config);
    const td = Object.values(json.resource.aws_ecs_task_definition as Json)[0] as Json;
    // References at their longest: an ECR image by digest of the longest repository, or any ARN.
    const longest = `123456789012.dkr.ecr.ap-southeast-1.amazonaws.com/${'r'.repeat(256)}@sha256:${'0'.repeat(64)}`;
    const resolved = (s: string) => unescapeTerraformTemplate(s.replace(/\$\{[^{}]*\}/g, longest));
    const request = JSON.stringify({ ...td, container_definitions: JSON.parse(resolved(td.container_definitions)) }, (_k, v) => (typeof v === 'string' ? resolved(v) : v));
    const bytes = Buffer.byteLength(request);
    const user = config.targets[name]!;
    expect(bytes).toBeLessThanOrEqual(taskDefinitionBytesBound(user.meshstack.apiUrl, user.runners.default!, user.trust));
    const userBytes = Buffer.byteLength(JSON.stringify(user.meshstack.apiUrl + user.runners.default!.apiClientId + user.runners.default!.uuid + user.trust.caCertificates! + user.trust.sshKnownHosts!));
    expect(bytes - userBytes).toBeLessThanOrEqual(ECS_TASK_DEFINITION_KIT_BYTES);
    expect(taskDefinitionBytesBound(user.meshstack.apiUrl, user.runners.default!, user.trust)).toBeLessThanOrEqual(ECS_TASK_DEFINITION_MAX_BYTES);
    // And at the very limits of every field (CAs and known hosts at their byte caps), the bound still fits.
    const widest = { caCertificates: 'x'.repeat(MAX_CA_CERTIFICATES_BYTES), sshKnownHosts: 'x'.repeat(MAX_KNOWN_HOSTS_BYTES) };
    expect(taskDefinitionBytesBound(user.meshstack.apiUrl, user.runners.default!, widest)).toBeLessThanOrEqual(ECS_TASK_DEFINITION_MAX_BYTES);
  });
});
