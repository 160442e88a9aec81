import { ServiceRole, KitRole } from '../../../constructs/aws/service-role';
import { PermissionsBoundary } from '../../../constructs/aws/permissions-boundary';
import type { Permission } from '../../../constructs/core/permissions/permission';
import { synthStack, Synthesized, type Json } from '../../support/synth';
import { unitStack } from './unit-stack';

const READ: Permission = { sid: 'ReadLogs', actions: ['logs:GetLogEvents'], resources: ['arn:aws:logs:eu-central-1:123456789012:log-group:/x:log-stream:*'], justification: 'Reads the log stream for the test.' };
const INVOKE: Permission = { sid: 'InvokeUpdater', actions: ['lambda:InvokeFunction'], resources: ['arn:aws:lambda:eu-central-1:123456789012:function:unit-updater'], justification: 'Runs the updater for the test.' };

describe('ServiceRole with only required props', () => {
  let s: Synthesized;
  let role: Json;
  beforeAll(() => {
    const stack = unitStack();
    new ServiceRole(stack, 'Role', { name: 'unit-flow-logs', description: 'd', service: 'vpc-flow-logs.amazonaws.com' });
    s = synthStack(stack);
    role = s.only('aws_iam_role');
  });

  it('trusts only the named service, pinned to this account, for at most one hour', () => {
    expect(role.max_session_duration).toBe(3600);
    const trust = Synthesized.policy(role.assume_role_policy);
    expect(trust.Statement).toEqual([
      { Sid: 'TrustService', Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': expect.stringMatching(/caller_identity/) } } },
    ]);
  });

  it("carries the stack's permissions boundary, created on first use", () => {
    const [id, policy] = s.resources('aws_iam_policy')[0]!;
    expect(policy.name).toBe('unit-permissions-boundary');
    expect(role.permissions_boundary).toBe(`\${aws_iam_policy.${id}.arn}`);
  });

  it('has no policy resource and nothing attached (an empty policy is invalid)', () => {
    expect(s.count('aws_iam_role_policy')).toBe(0);
    expect(s.count('aws_iam_role_policy_attachment')).toBe(0);
  });
});

describe('ServiceRole.addPermissions', () => {
  it('GIVEN permissions added after construction THEN the one inline policy and the boundary hold them', () => {
    const stack = unitStack();
    const role = new ServiceRole(stack, 'Role', { name: 'unit-updater', description: 'd', service: 'lambda.amazonaws.com', permissions: [READ] });
    role.addPermissions(INVOKE);
    expect(role.permissions.map((p) => p.sid)).toEqual(['ReadLogs', 'InvokeUpdater']);
    const s = synthStack(stack);
    expect(Synthesized.policy(s.only('aws_iam_role_policy').policy).Statement.map((st: Json) => st.Sid)).toEqual(['ReadLogs', 'InvokeUpdater']);
    const boundary = Synthesized.policy(s.only('aws_iam_policy').policy);
    expect(boundary.Statement.find((st: Json) => st.Sid === 'KitLambdaResources').Resource).toMatch(/function:unit-\*$/);
  });

  it('GIVEN a role created without permissions THEN the first addPermissions creates its policy', () => {
    const stack = unitStack();
    const role = new ServiceRole(stack, 'Role', { name: 'unit-x', description: 'd', service: 'lambda.amazonaws.com' });
    role.addPermissions(INVOKE);
    const s = synthStack(stack);
    expect(s.only('aws_iam_role_policy')).toMatchObject({ name: 'permissions', role: expect.stringMatching(/aws_iam_role\..*\.name/) });
  });

  it('fails after synthesis rendered the policy, instead of losing the permission', () => {
    const stack = unitStack();
    const role = new ServiceRole(stack, 'Role', { name: 'unit-x', description: 'd', service: 'lambda.amazonaws.com', permissions: [READ] });
    synthStack(stack);
    expect(() => role.addPermissions(INVOKE)).toThrow(/addPermissions\(InvokeUpdater\) after synthesis rendered the role's policy/);
  });

  it('fails after synthesis rendered the boundary, even for a role without a policy', () => {
    const stack = unitStack();
    const role = new ServiceRole(stack, 'Role', { name: 'unit-x', description: 'd', service: 'lambda.amazonaws.com' });
    synthStack(stack);
    expect(() => role.addPermissions(INVOKE)).toThrow(/after synthesis/);
  });

  it.each<[string, Permission, RegExp]>([
    ['a statement id is used twice', { ...INVOKE, sid: 'ReadLogs' }, /sid "ReadLogs" is used twice/],
    ['an action is a wildcard', { ...INVOKE, actions: ['lambda:*'] }, /wildcard action "lambda:\*"/],
    ['a statement denies', { ...INVOKE, effect: 'Deny' }, /denials belong in the permissions boundary/],
    ['the justification is missing', { ...INVOKE, justification: '' }, /justification "" is too short/],
  ])('fails when %s', (_name, p, message) => {
    const role = new ServiceRole(unitStack(), 'Role', { name: 'unit-x', description: 'd', service: 'lambda.amazonaws.com', permissions: [READ] });
    expect(() => role.addPermissions(p)).toThrow(message);
  });
});

describe('KitRole registry', () => {
  it('finds every kit role of a stack, and they all share the one boundary', () => {
    const stack = unitStack();
    const a = new ServiceRole(stack, 'A', { name: 'unit-a', description: 'd', service: 'lambda.amazonaws.com' });
    const b = new ServiceRole(stack, 'B', { name: 'unit-b', description: 'd', service: 'ecs-tasks.amazonaws.com' });
    expect(KitRole.allIn(stack)).toEqual([a, b]);
    expect(PermissionsBoundary.of(stack).boundRoles).toEqual([a, b]);
    expect(a.boundary).toBe(b.boundary);
    expect(a.assumedBy).toBe('service');
  });
});
