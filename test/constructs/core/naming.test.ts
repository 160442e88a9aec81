/**
 * The naming rule (constructs/core/naming.ts): user-given names hold no "-", the kit's delimiter, so a
 * target's name prefix scopes exactly that target's resources. Checked against the scopes the
 * permissions boundary and the operator role actually use, for random target and runner names.
 */
import fc from 'fast-check';
import { awsResourceNames, type AwsResourceName } from '../../../constructs/aws/aws-names';
import type { AwsContext } from '../../../constructs/aws/aws-context';
import { kitResourceScopes } from '../../../constructs/aws/permissions-boundary';
import { RUNNER_NAME_PATTERN, TARGET_NAME_PATTERN } from '../../../constructs/core/naming';

const ctx = { partition: 'aws', accountId: '123456789012', region: 'eu-central-1', arn: (s: string, r: string, o: { region?: string } = {}) => `arn:aws:${s}:${o.region ?? 'eu-central-1'}:123456789012:${r}` } as unknown as AwsContext;

/** The ARN AWS gives a named resource (enough for matching the kit's scopes). */
function arnOf(n: AwsResourceName): string | undefined {
  const a = (service: string, resource: string) => ctx.arn(service, resource);
  switch (n.type) {
    case 'iam-role':
      return `arn:aws:iam::123456789012:role/${n.name}`;
    case 'lambda-function':
      return a('lambda', `function:${n.name}`);
    case 'cloudwatch-alarm':
      return a('cloudwatch', `alarm:${n.name}`);
    case 'log-group':
      return a('logs', `log-group:${n.name}`);
    case 'ecr-repository':
      return a('ecr', `repository/${n.name}`);
    case 'ecs-cluster':
      return a('ecs', `cluster/${n.name}`);
    case 'ecs-task-family':
      return a('ecs', `task-definition/${n.name}:1`);
    case 'secret':
      return a('secretsmanager', `secret:${n.name}-AbCdEf`);
    case 'sns-topic':
      return a('sns', n.name);
    case 'ssm-parameter':
      return a('ssm', `parameter${n.name}`);
    default:
      return undefined;
  }
}

const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
const scopes = (target: string) => Object.values(kitResourceScopes(ctx, target)).flat().map(glob);

const targetName = fc.stringMatching(TARGET_NAME_PATTERN);
const runnerName = fc.stringMatching(RUNNER_NAME_PATTERN);
const target = fc.record({ platform: fc.constantFrom('ecs', 'eks'), runners: fc.uniqueArray(runnerName, { minLength: 1, maxLength: 4 }) }).map((t) => ({
  platform: t.platform,
  runners: Object.fromEntries(t.runners.map((r) => [r, { image: 'ghcr.io/meshcloud/tf-block-runner', replicas: 1 }])),
  operatorAccess: {},
  kubernetes: { controllerImage: 'ghcr.io/meshcloud/run-controller', implementations: ['TERRAFORM'] },
}));

describe('naming rule', () => {
  it("GIVEN two targets THEN no resource of one falls under the other's IAM scopes (alarms, roles, functions, logs, ...)", () => {
    fc.assert(
      fc.property(targetName, targetName, target, target, (a, b, ta, tb) => {
        fc.pre(a !== b);
        const mine = scopes(a);
        for (const n of awsResourceNames(b, tb)) {
          const arn = arnOf(n);
          if (arn !== undefined) expect({ name: n.name, inScopeOf: a, matched: mine.some((re) => re.test(arn)) }).toEqual({ name: n.name, inScopeOf: a, matched: false });
        }
        // ...while each resource of a target is inside its own scopes.
        for (const n of awsResourceNames(a, ta)) {
          const arn = arnOf(n);
          if (arn !== undefined && n.type !== 'log-group') expect({ name: n.name, matched: mine.some((re) => re.test(arn)) }).toEqual({ name: n.name, matched: true });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('GIVEN two targets THEN they share no resource name, whatever their runners are called', () => {
    fc.assert(
      fc.property(targetName, targetName, target, target, (a, b, ta, tb) => {
        fc.pre(a !== b);
        const names = new Set(awsResourceNames(a, ta).map((n) => `${n.type} ${n.name}`));
        expect(awsResourceNames(b, tb).filter((n) => names.has(`${n.type} ${n.name}`))).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('why the rule: with a "-" allowed in target names, target prod-eu would fall under target prod\'s scopes', () => {
    expect(scopes('prod').some((re) => re.test('arn:aws:cloudwatch:eu-central-1:123456789012:alarm:prod-eu-main-update-failed'))).toBe(true);
    expect(TARGET_NAME_PATTERN.test('prod-eu')).toBe(false);
    expect(RUNNER_NAME_PATTERN.test('eu-main')).toBe(false);
  });
});
