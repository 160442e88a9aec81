import { OperatorAccess, type OperatorAccessProps } from '../../../constructs/aws/operator-access';
import { acknowledgementsIn } from '../../../constructs/core/rules/acknowledgement';
import { checkAwsTarget } from '../../../constructs/aws/config';
import { formatIssue, type ConfigIssue } from '../../../constructs/core/config/config-error';
import { synthStack, Synthesized, type Json } from '../../support/synth';
import { unitStack } from './unit-stack';

const ARN = (svc: string, res: string) => `arn:aws:${svc}:eu-central-1:123456789012:${res}`;
const ECS = { kind: 'ecs' as const, clusterArn: ARN('ecs', 'cluster/unit'), clusterName: 'unit', serviceArns: [ARN('ecs', 'service/unit/unit-default')] };
const REQUIRED: OperatorAccessProps = {
  roleName: 'unit-operator',
  principals: ['111122223333', 'arn:aws:iam::444455556666:role/meshcloud-operators'],
  externalId: 'meshcloud-ops-unit',
  platform: ECS,
  logGroupNamePrefix: '/private-runner-kit/unit/',
  alarmNamePrefix: 'unit-',
};

function synth(props: Partial<OperatorAccessProps> = {}, after?: (o: OperatorAccess) => void): { role: Json; trust: Json; policy: Json; bySid: Record<string, Json> } {
  const stack = unitStack();
  const operator = new OperatorAccess(stack, 'OperatorAccess', { ...REQUIRED, ...props });
  after?.(operator);
  const s = synthStack(stack);
  const role = s.only('aws_iam_role');
  const policy = Synthesized.policy(s.only('aws_iam_role_policy').policy);
  return { role, trust: Synthesized.policy(role.assume_role_policy), policy, bySid: Object.fromEntries(policy.Statement.map((st: Json) => [st.Sid, st])) };
}

describe('OperatorAccess with only required props', () => {
  let r: ReturnType<typeof synth>;
  beforeAll(() => {
    r = synth();
  });

  it('trusts only the configured principals, only with the external id, for at most one hour', () => {
    expect(r.role.max_session_duration).toBe(3600);
    expect(r.role.permissions_boundary).toMatch(/aws_iam_policy\..*\.arn/);
    expect(r.trust.Statement).toEqual([
      {
        Sid: 'MeshcloudOperatorsWithExternalId',
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::111122223333:root', 'arn:aws:iam::444455556666:role/meshcloud-operators'] },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'meshcloud-ops-unit' } },
      },
    ]);
  });

  it('may describe the runner cluster, services and tasks, scoped to the cluster', () => {
    expect(r.bySid.DescribeRunnerCluster).toMatchObject({ Action: 'ecs:DescribeClusters', Resource: ECS.clusterArn });
    expect(r.bySid.DescribeRunnerServices).toMatchObject({ Action: 'ecs:DescribeServices', Resource: ECS.serviceArns[0] });
    expect(r.bySid.ListServicesAndTasksInRunnerCluster).toEqual({
      Sid: 'ListServicesAndTasksInRunnerCluster',
      Effect: 'Allow',
      Action: ['ecs:ListServices', 'ecs:ListTasks'],
      Resource: '*',
      Condition: { ArnEquals: { 'ecs:cluster': ECS.clusterArn } },
    });
    expect(r.bySid.DescribeRunnerTasks.Resource).toMatch(/:ecs:eu-central-1:.*:task\/unit\/\*$/);
  });

  it('may not describe task definitions: AWS cannot scope DescribeTaskDefinition, which would read every workload\'s environment', () => {
    const actions = r.policy.Statement.flatMap((st: Json) => [st.Action].flat());
    expect(actions).not.toContain('ecs:DescribeTaskDefinition');
    expect(actions.filter((a: string) => a.startsWith('ecs:')).sort()).toEqual(['ecs:DescribeClusters', 'ecs:DescribeServices', 'ecs:DescribeTasks', 'ecs:ListServices', 'ecs:ListTasks']);
  });

  it("reads the kit's log groups and their streams by the kit's name prefix, metrics, and the kit's alarms by prefix", () => {
    expect(r.bySid.SearchKitLogGroups).toMatchObject({ Action: ['logs:DescribeLogStreams', 'logs:FilterLogEvents'], Resource: expect.stringMatching(/:logs:eu-central-1:.*:log-group:\/private-runner-kit\/unit\/\*$/) });
    expect(r.bySid.ReadKitLogStreams).toMatchObject({ Action: 'logs:GetLogEvents', Resource: expect.stringMatching(/:log-group:\/private-runner-kit\/unit\/\*:log-stream:\*$/) });
    expect(r.bySid.ReadMetrics).toMatchObject({ Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], Resource: '*' });
    expect(r.bySid.ReadKitAlarms.Resource).toMatch(/:cloudwatch:eu-central-1:.*:alarm:unit-\*$/);
  });

  it('holds no deploy or secret permission: no secrets, exec, PassRole, task-definition registration or service update', () => {
    const actions = r.policy.Statement.flatMap((st: Json) => [st.Action].flat());
    for (const forbidden of ['secretsmanager:GetSecretValue', 'kms:Decrypt', 'ecs:ExecuteCommand', 'iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:UpdateService']) {
      expect(actions).not.toContain(forbidden);
    }
    expect(r.bySid.InvokeUpdater).toBeUndefined();
  });
});

describe('OperatorAccess overrides', () => {
  it('GIVEN principal ARN and source identity patterns THEN assuming requires both with the external id, and a second statement allows setting the source identity', () => {
    const { trust } = synth({ principalArnPatterns: ['arn:aws:iam::111122223333:role/meshcloud-ops-*'], sourceIdentityPatterns: ['*@meshcloud.io'] });
    const like = { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/meshcloud-ops-*', 'sts:SourceIdentity': '*@meshcloud.io' };
    expect(trust.Statement.map((st: Json) => [st.Sid, st.Action, st.Condition])).toEqual([
      ['MeshcloudOperatorsWithExternalId', 'sts:AssumeRole', { StringEquals: { 'sts:ExternalId': 'meshcloud-ops-unit' }, StringLike: like }],
      ['MeshcloudOperatorsSetSourceIdentity', 'sts:SetSourceIdentity', { StringLike: like }],
    ]);
    expect(trust.Statement[1].Principal).toEqual(trust.Statement[0].Principal);
  });

  it('GIVEN source identity patterns THEN the AWS-IAM-7 finding of the source-identity statement is acknowledged per principal, with the reason', () => {
    const stack = unitStack();
    const o = new OperatorAccess(stack, 'OperatorAccess', { ...REQUIRED, sourceIdentityPatterns: ['*@meshcloud.io'] });
    const acks = acknowledgementsIn(o).map((a) => [a.ruleId, a.findingKey]);
    expect(acks).toEqual([
      ['AWS-IAM-7', 'Principal::arn:aws:iam::111122223333:root'],
      ['AWS-IAM-7', 'Principal::arn:aws:iam::444455556666:role/meshcloud-operators'],
    ]);
    expect(acknowledgementsIn(new OperatorAccess(unitStack(), 'OperatorAccess', REQUIRED))).toEqual([]);
  });

  it('GIVEN only principal ARN patterns THEN sts:SetSourceIdentity is not allowed', () => {
    const { trust } = synth({ principalArnPatterns: ['arn:aws:iam::111122223333:role/x'] });
    expect(trust.Statement.map((st: Json) => st.Action)).toEqual(['sts:AssumeRole']);
  });

  it('GIVEN updaterFunctionArns THEN the operator may invoke exactly those functions', () => {
    const fn = ARN('lambda', 'function:unit-updater');
    expect(synth({ updaterFunctionArns: [fn] }).bySid.InvokeUpdater).toMatchObject({ Action: 'lambda:InvokeFunction', Resource: fn });
  });

  it('GIVEN allowInvoke after construction THEN the one InvokeUpdater statement grows until synthesis', () => {
    const [f1, f2] = [ARN('lambda', 'function:unit-updater'), ARN('lambda', 'function:unit-other')];
    const { bySid } = synth({}, (o) => {
      o.allowInvoke(f1);
      o.allowInvoke(f2);
    });
    expect(bySid.InvokeUpdater.Resource).toEqual([f1, f2]);
  });

  it('fails when allowInvoke comes after synthesis', () => {
    const stack = unitStack();
    const o = new OperatorAccess(stack, 'OperatorAccess', REQUIRED);
    synthStack(stack);
    expect(() => o.allowInvoke(ARN('lambda', 'function:unit-updater'))).toThrow(/allowInvoke\(.*\) after synthesis/);
  });

  it('fails without principals, without an external id, or with a log prefix that would match other targets', () => {
    expect(() => new OperatorAccess(unitStack(), 'O', { ...REQUIRED, principals: [] })).toThrow(/principals is empty/);
    expect(() => new OperatorAccess(unitStack(), 'O', { ...REQUIRED, externalId: '' })).toThrow(/externalId is empty/);
    expect(() => new OperatorAccess(unitStack(), 'O', { ...REQUIRED, logGroupNamePrefix: '/private-runner-kit/unit' })).toThrow(/must end with "\/"/);
  });
});

describe('operatorAccess config validation (constructs/aws/config.ts)', () => {
  const target = (operatorAccess: unknown) => ({ cloud: 'aws', platform: 'ecs', region: 'eu-central-1', operatorAccess });
  const issues = (operatorAccess: unknown) => {
    const found: ConfigIssue[] = [];
    const add = (path: string, received: unknown, message: string, fix: string) => found.push({ path: `targets.prod.${path}`, received, message, fix });
    checkAwsTarget('prod', target(operatorAccess), add);
    return found;
  };
  const valid = { principals: ['111122223333', 'arn:aws:iam::444455556666:role/ops/meshcloud-operators', 'arn:aws:iam::444455556666:user/alice'], externalId: 'Abc+=,.@:/-_1', principalArnPatterns: ['arn:aws:iam::111122223333:role/meshcloud-ops-*'], sourceIdentityPatterns: ['*@meshcloud.io'] };

  it('accepts account ids, role and user ARNs (with a path), a full-charset external id, and patterns', () => {
    expect(issues(valid)).toEqual([]);
    expect(issues({ ...valid, externalId: 'x'.repeat(1224) })).toEqual([]);
  });

  it.each<[string, Record<string, unknown>, string, unknown, RegExp]>([
    ['the external id is 1 character', { externalId: 'x' }, 'externalId', 'x', /has 1 characters \(STS accepts 2 to 1224\)/],
    ['the external id is 1225 characters', { externalId: 'x'.repeat(1225) }, 'externalId', 'x'.repeat(1225), /has 1225 characters/],
    ['the external id has a space', { externalId: 'meshcloud ops' }, 'externalId', 'meshcloud ops', /characters STS does not accept/],
    ['a principal is an 11-digit account', { principals: ['11112222333'] }, 'principals[0]', '11112222333', /neither a 12-digit AWS account id nor an IAM role or user ARN/],
    ['a principal is a group ARN', { principals: ['arn:aws:iam::111122223333:group/ops'] }, 'principals[0]', 'arn:aws:iam::111122223333:group/ops', /neither/],
    ['a principal is listed twice', { principals: ['111122223333', '111122223333'] }, 'principals', ['111122223333', '111122223333'], /lists a principal twice/],
    ['a principal ARN pattern is not an ARN', { principalArnPatterns: ['meshcloud-ops-*'] }, 'principalArnPatterns[0]', 'meshcloud-ops-*', /not an IAM\/STS ARN pattern/],
    ['a source identity pattern has a space', { sourceIdentityPatterns: ['* @meshcloud.io'] }, 'sourceIdentityPatterns[0]', '* @meshcloud.io', /not a source identity pattern/],
  ])('fails when %s, naming the field, the value and the fix', (_name, patch, field, received, message) => {
    const found = issues({ ...valid, ...patch });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: `targets.prod.operatorAccess.${field}`, received });
    expect(found[0]!.message).toMatch(message);
    expect(found[0]!.fix.length).toBeGreaterThan(10);
    expect(formatIssue(found[0]!)).toMatch(/^targets\.prod\.operatorAccess\..*: got .*: .*\. Fix: /);
  });
});

describe('OperatorAccess on EKS', () => {
  it('GIVEN an EKS cluster THEN the operator may describe that cluster only, and holds no ECS rights (Kubernetes rights come from the access entry)', () => {
    const r = synth({ platform: { kind: 'eks', clusterArn: ARN('eks', 'cluster/unit') } });
    expect(r.bySid.DescribeRunnerEksCluster).toMatchObject({ Action: 'eks:DescribeCluster', Resource: ARN('eks', 'cluster/unit') });
    for (const st of r.policy.Statement) for (const a of [st.Action].flat()) expect(a).not.toMatch(/^ecs:/);
    expect(r.bySid.ReadMetrics).toBeDefined();
  });
});
