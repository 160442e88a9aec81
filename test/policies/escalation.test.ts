/**
 * No privilege-escalation method (security-rules.md, Cloudsplaining's list) on a role people assume;
 * on a service role only with an acknowledgement (ACKNOWLEDGED_ESCALATIONS: one finding, one kind
 * of role, a reason). Generic over every role of every verified stack, so roles added later (the
 * updater) are picked up. Effective permissions are at most the role's own policy (the boundary only
 * narrows), so the role's policy is what is checked.
 */
import { acknowledgementFor, escalationsOf } from '../../constructs/aws/permissions/escalation';
import { list, operatorExample, verifiedTargets } from './support';

describe('privilege escalation', () => {
  const targets = verifiedTargets();
  const held = targets.flatMap((t) =>
    t.audited.roles.flatMap((r) => escalationsOf((r.permissions?.Statement ?? []).filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action))).map((m) => ({ target: t.audited.target, role: r, method: m }))),
  );

  it('no role people assume completes any escalation method', () => {
    expect(held.filter((h) => h.role.assumedBy === 'people').map((h) => `${h.role.name}: ${h.method.id}`)).toEqual([]);
  });

  it('every method a service role completes is acknowledged', () => {
    expect(held.filter((h) => !acknowledgementFor(h.target, h.role.name, h.method.id)).map((h) => `${h.role.name}: ${h.method.id}`)).toEqual([]);
  });

  it('the acknowledged findings are exactly these (a new one needs a listed reason)', () => {
    expect(held.filter((h) => h.target === operatorExample().audited.target).map((h) => `${h.role.name}: ${h.method.id}`).sort()).toEqual([
      'ecsexample-default-exec: PrivEsc[ecr:GetAuthorizationToken]',
      'ecsexample-updater: PrivEsc[ecr:GetAuthorizationToken]',
      'ecsexample-updater: PrivEsc[iam:PassRole+ecs:RegisterTaskDefinition+ecs:UpdateService]',
    ]);
  });

  it("the updater's PassRole combination is scoped: the runner's two roles, to ECS tasks only, its task family, its service", () => {
    const t = operatorExample().audited;
    const updater = t.roles.find((r) => r.name === `${t.target}-updater`);
    if (!updater) return; // no updater in this stack: nothing to scope
    const statements = updater.permissions!.Statement;
    const granting = (a: string) => statements.filter((s) => list(s.Action).includes(a));
    for (const st of granting('iam:PassRole')) {
      expect(list(st.Resource).sort()).toEqual([`arn:aws:iam::${t.accountId}:role/${t.target}-default-exec`, `arn:aws:iam::${t.accountId}:role/${t.target}-default-task`]);
      expect(st.Condition).toEqual({ StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    }
    for (const st of granting('ecs:RegisterTaskDefinition')) expect(list(st.Resource)).toEqual([`arn:aws:ecs:${t.region}:${t.accountId}:task-definition/${t.target}-default:*`]);
    for (const st of granting('ecs:UpdateService')) expect(list(st.Resource)).toEqual([`arn:aws:ecs:${t.region}:${t.accountId}:service/${t.target}/${t.target}-default`]);
  });

  it('the operator role holds none of the deploy rights: PassRole, task definitions, service updates, exec, secrets', () => {
    const operator = operatorExample().audited.roles.find((r) => r.assumedBy === 'people')!;
    const actions = operator.permissions!.Statement.flatMap((s) => list(s.Action));
    expect(actions.filter((a) => ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:UpdateService', 'ecs:ExecuteCommand', 'secretsmanager:GetSecretValue', 'kms:Decrypt'].includes(a))).toEqual([]);
  });
});

describe('permissions boundary on every role', () => {
  it('every role of every verified stack carries its stack\'s permissions boundary, except EKS\'s own service roles (documented)', () => {
    const without = verifiedTargets().flatMap((t) => t.audited.roles.filter((r) => !t.audited.boundaries.some((b) => b.name === r.boundary)).map((r) => `${t.audited.target}: ${r.name}`));
    // Documented exceptions: EKS's own service roles. They hold only AWS-managed policies
    // (AmazonEKSClusterPolicy; AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy,
    // AmazonEC2ContainerRegistryPullOnly) that AWS maintains and changes; the kit's boundary denies
    // IAM writes such as iam:CreateServiceLinkedRole that these need, and a boundary mirroring AWS's
    // policies would drift from them. No human or kit code can assume these roles (EKS and EC2 only).
    const EKS_SERVICE_ROLES = ['eksexample: eksexample-eks-cluster', 'eksexample: eksexample-eks-nodes'];
    expect(without).toEqual(EKS_SERVICE_ROLES);
  });
});
