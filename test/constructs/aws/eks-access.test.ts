import { EksAccess, type EksAccessProps } from '../../../constructs/aws/eks-access';
import { EmulatorProfile } from '../../../constructs/aws/emulator-profile';
import { awsStack, synthOf } from '../../support/eks';
import type { Json, Synthesized } from '../../support/synth';

const UPDATER = 'arn:aws:iam::123456789012:role/prod-updater';
const OPERATOR = 'arn:aws:iam::123456789012:role/prod-meshcloud-operator';
const build = (props: Partial<EksAccessProps> = {}, emulator = false) => {
  const stack = awsStack();
  if (emulator) EmulatorProfile.enable(stack);
  const access = new EksAccess(stack, 'Access', { clusterName: 'prod', ...props });
  return { s: synthOf(stack), access };
};
const entries = (s: Synthesized): Json[] => s.resources('aws_eks_access_entry').map(([, b]) => b);

describe('EksAccess (required props)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = build().s;
  });

  it('gives the deployer (the IAM role behind the deploying session) cluster admin, and nobody else anything', () => {
    expect(entries(s)).toEqual([expect.objectContaining({ cluster_name: 'prod', type: 'STANDARD', principal_arn: expect.stringMatching(/^\$\{data\.aws_iam_session_context\..*\.issuer_arn\}$/) })]);
    expect(entries(s)[0].kubernetes_groups).toBeUndefined();
    expect(s.only('aws_eks_access_policy_association')).toMatchObject({
      cluster_name: 'prod',
      policy_arn: expect.stringMatching(/^arn:\$\{data\.aws_partition\..*\}:eks::aws:cluster-access-policy\/AmazonEKSClusterAdminPolicy$/),
      access_scope: { type: 'cluster' },
    });
    expect(s.json.data.aws_iam_session_context).toBeDefined();
  });
});

describe('EksAccess overrides', () => {
  it('GIVEN the updater role THEN it maps to the updater group only, with no AWS access policy', () => {
    const { s } = build({ updaterRoleArn: UPDATER });
    expect(entries(s).find((e) => e.principal_arn === UPDATER)).toMatchObject({ type: 'STANDARD', kubernetes_groups: ['private-runner-kit:updater'] });
    expect(s.count('aws_eks_access_policy_association')).toBe(1); // the deployer's only
  });

  it('GIVEN operator roles THEN each maps to the read-only operators group, with no AWS access policy', () => {
    const { s } = build({ operatorRoleArns: [OPERATOR, 'arn:aws:iam::123456789012:role/second-operator'] });
    const ops = entries(s).filter((e) => e.kubernetes_groups?.includes('private-runner-kit:operators'));
    expect(ops.map((e) => e.principal_arn)).toEqual([OPERATOR, 'arn:aws:iam::123456789012:role/second-operator']);
    expect(s.resources('aws_eks_access_policy_association').map(([, b]) => b.policy_arn)).toEqual([expect.stringMatching(/AmazonEKSClusterAdminPolicy$/)]);
  });

  it('GIVEN a deployer principal THEN it is used instead of the session', () => {
    const { s, access } = build({ deployerPrincipalArn: 'arn:aws:iam::123456789012:role/ci-deployer' });
    expect(entries(s)[0].principal_arn).toBe('arn:aws:iam::123456789012:role/ci-deployer');
    expect(s.json.data?.aws_iam_session_context).toBeUndefined();
    expect(access.deployerPrincipalArn).toBe('arn:aws:iam::123456789012:role/ci-deployer');
  });

  it('GIVEN other group names THEN the entries use them', () => {
    const { s } = build({ updaterRoleArn: UPDATER, operatorRoleArns: [OPERATOR], updaterGroup: 'upd', operatorsGroup: 'ops' });
    expect(entries(s).map((e) => e.kubernetes_groups).filter(Boolean).sort()).toEqual([['ops'], ['upd']]);
  });

  it('GIVEN the emulator relaxations THEN no access entries (moto has no API for them)', () => {
    const { s } = build({ updaterRoleArn: UPDATER, operatorRoleArns: [OPERATOR] }, true);
    expect(s.count('aws_eks_access_entry')).toBe(0);
    expect(s.count('aws_eks_access_policy_association')).toBe(0);
  });
});

describe('EksAccess failures', () => {
  it('fails when a principal is an assumed-role session, not a role', () => {
    expect(() => build({ operatorRoleArns: ['arn:aws:sts::123456789012:assumed-role/ops/alice'] })).toThrow(/operatorRoleArns\[0\] .* is not an IAM role or user ARN/);
    expect(() => build({ updaterRoleArn: 'prod-updater' })).toThrow(/updaterRoleArn "prod-updater"/);
  });

  it('fails when an operator role is listed twice', () => {
    expect(() => build({ operatorRoleArns: [OPERATOR, OPERATOR] })).toThrow(/lists a role twice/);
  });

  it('fails on a system: group', () => {
    expect(() => build({ operatorsGroup: 'system:masters' })).toThrow(/system: groups belong to Kubernetes/);
  });
});
