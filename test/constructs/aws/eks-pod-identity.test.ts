import { EmulatorProfile } from '../../../constructs/aws/emulator-profile';
import { EksPodIdentity, type EksPodIdentityProps } from '../../../constructs/aws/eks-pod-identity';
import { awsStack, synthOf } from '../../support/eks';
import type { Synthesized } from '../../support/synth';

const CLUSTER_ARN = 'arn:aws:eks:eu-central-1:123456789012:cluster/prod';
const REQUIRED: EksPodIdentityProps = {
  roleName: 'prod-default-runner',
  clusterName: 'prod',
  clusterArn: CLUSTER_ARN,
  namespace: 'meshstack-runner',
  serviceAccount: 'run-controller-default',
};
const build = (props: Partial<EksPodIdentityProps> = {}, emulator = false) => {
  const stack = awsStack();
  if (emulator) EmulatorProfile.enable(stack);
  new EksPodIdentity(stack, 'Identity', { ...REQUIRED, ...props });
  return synthOf(stack);
};

describe('EksPodIdentity (required props)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = build();
  });

  it('associates the role with exactly one ServiceAccount in one namespace of one cluster', () => {
    expect(s.only('aws_eks_pod_identity_association')).toMatchObject({
      cluster_name: 'prod',
      namespace: 'meshstack-runner',
      service_account: 'run-controller-default',
      role_arn: expect.stringMatching(/aws_iam_role\..*\.arn/),
    });
  });

  it('CKV_AWS_60: trusts only EKS Pod Identity of this account and this cluster (AssumeRole + TagSession)', () => {
    const trust = JSON.parse(s.only('aws_iam_role').assume_role_policy);
    expect(trust.Statement).toEqual([
      {
        Sid: 'TrustEksPodIdentityOfThisCluster',
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: { ArnEquals: { 'aws:SourceArn': CLUSTER_ARN }, StringEquals: { 'aws:SourceAccount': '${data.aws_caller_identity.CallerIdentity.account_id}' } },
      },
    ]);
  });

  it('holds no permissions by default, carries the permissions boundary, one-hour sessions', () => {
    const role = s.only('aws_iam_role');
    expect(s.count('aws_iam_role_policy')).toBe(0);
    expect(s.count('aws_iam_role_policy_attachment')).toBe(0);
    expect(role.permissions_boundary).toMatch(/aws_iam_policy\..*\.arn/);
    expect(role.max_session_duration).toBe(3600);
    expect(role.name).toBe('prod-default-runner');
  });
});

describe('EksPodIdentity overrides', () => {
  it('GIVEN permissions THEN they become the role\'s inline policy', () => {
    const s = build({ permissions: [{ sid: 'ReadState', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::acme-state/*'], justification: 'Reads Terraform state of building blocks.' }] });
    expect(JSON.parse(s.only('aws_iam_role_policy').policy).Statement).toEqual([{ Sid: 'ReadState', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-state/*' }]);
  });

  it('GIVEN the emulator relaxations THEN the role exists but no association (moto has no Pod Identity API)', () => {
    const s = build({}, true);
    expect(s.count('aws_eks_pod_identity_association')).toBe(0);
    expect(s.count('aws_iam_role')).toBe(1);
  });
});

describe('EksPodIdentity failures', () => {
  it('fails when the role name is longer than IAM allows', () => {
    expect(() => build({ roleName: `${'a'.repeat(60)}-runner` })).toThrow(/not an IAM role name: at most 64/);
  });

  it('fails when the namespace or ServiceAccount is not a Kubernetes name', () => {
    expect(() => build({ namespace: 'Runner NS' })).toThrow(/namespace "Runner NS" is not a Kubernetes name/);
    expect(() => build({ serviceAccount: 'Run_Controller' })).toThrow(/serviceAccount "Run_Controller"/);
  });
});
