/**
 * Tier 3 for the EKS example: `terraform validate` of the cluster stack against the offline
 * hashicorp/aws mirror; the workload stack needs hashicorp/kubernetes, which is not mirrored here,
 * so its full validation skips with one line (its AWS part — data sources, ephemeral blocks — is
 * still validated, and every Kubernetes object is schema-validated in the unit tier).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../stacks/main';
import { exampleEksTarget, kubernetesProviderMirror, writeKubernetesCliConfig } from '../support/eks';
import { describeWith } from '../support/requirements';
import type { Json } from '../support/synth';
import { awsProviderMirror, expectStatus, terraform, tf, writeCliConfig } from '../support/terraform';

const validate = (dir: string, cli: string) => {
  expectStatus(tf(dir, cli, ['init', '-backend=false', '-input=false'], { timeoutMs: 120_000 }), 0, `${dir}: init`);
  const run = tf(dir, cli, ['validate', '-json'], { timeoutMs: 120_000 });
  const result = JSON.parse(run.stdout);
  return { valid: result.valid, errors: result.error_count, diagnostics: result.diagnostics };
};

let work: string;
let out: string;
const synthOnce = () => {
  if (out) return out;
  work = mkdtempSync(path.join(tmpdir(), 'tf-validate-eks-'));
  out = path.join(work, 'out');
  synthesize(exampleEksTarget().config, out);
  return out;
};
afterAll(() => work && rmSync(work, { recursive: true, force: true }));

describeWith([terraform, awsProviderMirror], 'terraform validate: examples/aws-eks.yaml cluster stack (offline mirror)', () => {
  it('the cluster stack is valid', () => {
    const dir = path.join(synthOnce(), 'stacks', 'eksexample-cluster');
    expect(Object.keys(JSON.parse(readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')).terraform.required_providers)).toEqual(['aws']);
    expect(validate(dir, writeCliConfig(path.join(work, 'cli.tfrc')))).toEqual({ valid: true, errors: 0, diagnostics: [] });
  }, 120_000);

  it("the workload stack's AWS part is valid (cluster data source, ephemeral token and credentials, mirror digests)", () => {
    const json = JSON.parse(readFileSync(path.join(synthOnce(), 'stacks', 'eksexample-workload', 'cdk.tf.json'), 'utf8')) as Json;
    // Without the Kubernetes provider: its configuration, its resources and the outputs naming them.
    delete json.provider.kubernetes;
    delete json.terraform.required_providers.kubernetes;
    delete json.output;
    json.resource = Object.fromEntries(Object.entries(json.resource).filter(([t]) => !t.startsWith('kubernetes_')));
    if (Object.keys(json.resource).length === 0) delete json.resource;
    expect(Object.keys(json.ephemeral).sort()).toEqual(['aws_eks_cluster_auth', 'aws_secretsmanager_secret_version']);
    const dir = path.join(work, 'workload-aws-part');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json));
    expect(validate(dir, writeCliConfig(path.join(work, 'cli-aws.tfrc')))).toEqual({ valid: true, errors: 0, diagnostics: [] });
  }, 120_000);
});

describeWith([terraform, awsProviderMirror, kubernetesProviderMirror], 'terraform validate: examples/aws-eks.yaml workload stack (offline mirror)', () => {
  it('the workload stack is valid', () => {
    const dir = path.join(synthOnce(), 'stacks', 'eksexample-workload');
    expect(validate(dir, writeKubernetesCliConfig(path.join(work, 'cli-k8s.tfrc')))).toEqual({ valid: true, errors: 0, diagnostics: [] });
  }, 120_000);
});
