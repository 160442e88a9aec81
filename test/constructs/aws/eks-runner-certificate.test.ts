import { TerraformStack } from 'cdktf';
import { ephemeralResource } from '../../../constructs/core/ephemeral';
import { MirrorImage, mirrorRepositoryName } from '../../../constructs/aws/eks-mirror-image';
import { certificateVariableName, RunnerCertificate } from '../../../constructs/aws/eks-runner-certificate';
import { awsStack, synthOf } from '../../support/eks';
import type { Synthesized } from '../../support/synth';

describe('RunnerCertificate (required props)', () => {
  let s: Synthesized;
  beforeAll(() => {
    const stack = awsStack();
    new RunnerCertificate(stack, 'Cert', { target: 'prod', runnerName: 'default', key: { keyReference: 'arn:aws:kms:eu-central-1:123456789012:key/k' } });
    s = synthOf(stack);
  });

  it('CKV_AWS_149: a secret beside the runner\'s other credentials, with the customer-managed key', () => {
    expect(s.only('aws_secretsmanager_secret')).toMatchObject({ name: 'prod/default/certificate', kms_key_id: 'arn:aws:kms:eu-central-1:123456789012:key/k', recovery_window_in_days: 7 });
  });

  it('is written only through the write-only attribute, from an ephemeral variable, at the private key\'s version 1', () => {
    const v = s.only('aws_secretsmanager_secret_version');
    expect(v.secret_string).toBeUndefined();
    expect(v.secret_string_wo).toBe('${var.runner_default_certificate}');
    expect(v.secret_string_wo_version).toBe(1);
    expect(s.json.variable.runner_default_certificate).toMatchObject({ type: 'string', ephemeral: true, sensitive: false, nullable: false, default: '' });
    expect(v.lifecycle.precondition[0].error_message).toMatch(/^TF_VAR_runner_default_certificate is not set, but version 1 of prod\/default\/certificate has not been written yet .*targets\.prod\.runners\.default\.privateKeyVersion/);
  });

  it('GIVEN privateKeyVersion 2 THEN the value is sent again', () => {
    const stack = awsStack();
    new RunnerCertificate(stack, 'Cert', { target: 'p', runnerName: 'eu-west', key: { keyReference: 'k' }, privateKeyVersion: 2 });
    const v = synthOf(stack).only('aws_secretsmanager_secret_version');
    expect(v.secret_string_wo_version).toBe(2);
    expect(certificateVariableName('eu-west')).toBe('runner_eu_west_certificate');
  });
});

describe('RunnerCertificate failures', () => {
  it('fails when privateKeyVersion is not a whole number >= 1', () => {
    expect(() => new RunnerCertificate(awsStack(), 'Cert', { target: 'p', runnerName: 'r', key: { keyReference: 'k' }, privateKeyVersion: 0 })).toThrow(/targets\.p\.runners\.r\.privateKeyVersion 0 must be a whole number >= 1/);
  });
});

describe('MirrorImage and ephemeral resources', () => {
  it('resolves a release of the private mirror to <repository url>@<digest> at plan time', () => {
    const stack = awsStack();
    const image = new MirrorImage(stack, 'Image', { repositoryName: mirrorRepositoryName('prod', 'ghcr.io/meshcloud/run-controller'), tag: 'v1.3.0' });
    const s = synthOf(stack);
    expect(s.json.data.aws_ecr_image).toEqual({ [Object.keys(s.json.data.aws_ecr_image)[0]!]: expect.objectContaining({ repository_name: 'prod/run-controller', image_tag: 'v1.3.0' }) });
    expect(Object.values(s.json.data.aws_ecr_repository)[0]).toMatchObject({ name: 'prod/run-controller' });
    expect(image.reference).toMatch(/@/);
  });

  it('fails when the tag is not a release', () => {
    expect(() => new MirrorImage(awsStack(), 'Image', { repositoryName: 'prod/run-controller', tag: 'latest' })).toThrow(/not a release tag/);
  });

  it('declares an ephemeral block and references its attribute, never a data source', () => {
    const stack: TerraformStack = awsStack();
    const auth = ephemeralResource(stack, 'aws_eks_cluster_auth', 'cluster', { name: 'prod' });
    const s = synthOf(stack);
    expect(s.json.ephemeral).toEqual({ aws_eks_cluster_auth: { cluster: { name: 'prod' } } });
    expect(auth.get('token')).toBe('${ephemeral.aws_eks_cluster_auth.cluster.token}');
    expect(() => ephemeralResource(stack, 'x', 'Bad-Name', {})).toThrow(/lowercase/);
  });
});
