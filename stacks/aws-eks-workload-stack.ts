/**
 * The second of a target's two stacks on EKS: the runner workload (`RunnerWorkload`, shared with
 * AKS and GKE) on the cluster the cluster stack created. The Kubernetes provider is configured
 * from that cluster: endpoint and CA from the `aws_eks_cluster` data source, the token from the
 * EPHEMERAL `aws_eks_cluster_auth` (a data source would keep the token in state).
 *
 * Images are the mirror's digests of the runner's release, looked up at plan time. The runners'
 * credentials are read from Secrets Manager as ephemeral values and written into each
 * controller's Kubernetes Secret through the write-only `data_wo`, re-sent only when the runner's
 * `apiClientSecretVersion` or `privateKeyVersion` moves: no credential value is ever in this stack's state or plan.
 */
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ephemeralResource } from '../constructs/aws/eks-ephemeral';
import { applyAwsRulePack } from '../constructs/aws/rules';
import { MirrorImage, mirrorRepositoryName } from '../constructs/aws/eks-mirror-image';
import { POD_IDENTITY_AGENT } from '../constructs/aws/eks-pod-identity';
import { certificateVariableName } from '../constructs/aws/eks-runner-certificate';
import { secretVariableNames } from '../constructs/aws/runner-secrets';
import type { TargetConfig } from '../constructs/core/config/schema';
import { formatCpu, formatMemory } from '../constructs/kubernetes/quantity';
import { IMPLEMENTATION_ENV, type ImplementationSpec, type ImplementationType } from '../constructs/kubernetes/run-controller-config';
import { acknowledgeRunnerWorkload, applyKubernetesRulePack } from '../constructs/kubernetes/rules';
import type { EgressDestination } from '../constructs/kubernetes/runner-network-policy';
import { RunnerWorkload, type RunnerWorkloadController } from '../constructs/kubernetes/runner-workload';
import { configureAwsStack, eksNames, eksUpstreamImages } from './aws-eks-common';

export interface AwsEksWorkloadStackProps {
  readonly targetName: string;
  readonly target: TargetConfig;
}

/** Resources of one run Job per implementation type (TERRAFORM from the runner's cpu / memory). */
export function jobResources(type: ImplementationType, r: { cpu: number; memory: number }): ImplementationSpec['resources'] {
  if (type === 'TERRAFORM') {
    // cpu in ECS units (1024 = 1 vCPU); Terraform runs burst, so the limit is twice the request.
    const cpuMillis = Math.max(100, Math.round((r.cpu / 1024) * 1000));
    return { requests: { cpu: formatCpu(cpuMillis), memory: formatMemory(r.memory) }, limits: { cpu: formatCpu(2 * cpuMillis), memory: formatMemory(r.memory) } };
  }
  // The pipeline-trigger runners (JVM) only call an API and report back.
  return { requests: { cpu: '250m', memory: '768Mi' }, limits: { cpu: '1', memory: '1Gi' } };
}

export class AwsEksWorkloadStack extends TerraformStack {
  readonly workload: RunnerWorkload;

  constructor(scope: Construct, name: string, props: AwsEksWorkloadStackProps) {
    super(scope, name);
    const t = props.target;
    const target = props.targetName;
    const k = t.kubernetes;
    if (k === undefined) throw new Error(`targets.${target}.kubernetes is required on EKS (config validation checks this first)`);
    configureAwsStack(this, name, target, t);
    const clusterName = eksNames.cluster(target);

    const cluster = new DataAwsEksCluster(this, 'Cluster', { name: clusterName });
    const auth = ephemeralResource(this, 'aws_eks_cluster_auth', 'cluster', { name: clusterName });
    new KubernetesProvider(this, 'kubernetes', {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      token: auth.get('token'),
    });

    const images = new Map<string, MirrorImage>();
    const mirrored = (upstream: string, version: string): string => {
      const repositoryName = mirrorRepositoryName(target, upstream);
      const key = `${repositoryName}:${version}`;
      if (!images.has(key)) {
        images.set(key, new MirrorImage(this, `Image-${repositoryName.slice(target.length + 1)}-${version.replace(/\./g, '_')}`, { repositoryName, tag: version }));
      }
      return images.get(key)!.reference;
    };

    const controllers: RunnerWorkloadController[] = Object.entries(t.runners).map(([runner, r]) => {
      const upstream = eksUpstreamImages(t, runner);
      const implementations: Partial<Record<ImplementationType, ImplementationSpec>> = {};
      for (const [type, image] of Object.entries(upstream.implementations) as [ImplementationType, string][]) {
        implementations[type] = { image: mirrored(image, r.version), env: IMPLEMENTATION_ENV[type], resources: jobResources(type, r) };
      }
      const secretId = (suffix: string) => `${eksNames.secretPrefix(target, runner)}/${suffix}`;
      const read = (what: string, suffix: string) =>
        ephemeralResource(this, 'aws_secretsmanager_secret_version', `${runner.replace(/-/g, '_')}_${what}`, { secret_id: secretId(suffix) }).get('secret_string');
      const vars = secretVariableNames(runner);
      return {
        runner,
        runnerUuid: r.uuid,
        apiClientId: r.apiClientId,
        image: mirrored(upstream.controller, r.version),
        implementations,
        replicas: r.replicas,
        displayName: `${target} ${runner}`,
        credentials: {
          apiClientSecret: read('api_client_secret', 'api-client-secret'),
          privateKeyPem: read('private_key', 'private-key'),
          certificatePem: read('certificate', 'certificate'),
          // Moves whenever either version moves (versions only go up).
          revision: r.apiClientSecretVersion + r.privateKeyVersion - 1,
        },
        missingCredentialsHint:
          `deploy ${target}-cluster with TF_VAR_${vars.apiClientSecret}, TF_VAR_${vars.privateKey} and TF_VAR_${certificateVariableName(runner)} set ` +
          `(bump apiClientSecretVersion / privateKeyVersion if they were empty), then deploy ${name}`,
      };
    });

    // The controller's AWS identity (EKS Pod Identity) is served by the node-local agent.
    const controllerExtraEgress: EgressDestination[] = [{ ...POD_IDENTITY_AGENT, reason: 'EKS Pod Identity agent: AWS credentials of the runner identity' }];
    this.workload = new RunnerWorkload(this, 'Workload', {
      namespace: k.namespace,
      podSecurityVersion: `v${k.version}`,
      meshstackApiUrl: t.meshstack.apiUrl,
      ownedByWorkspace: k.ownedByWorkspace,
      controllers,
      pollingIntervalSeconds: k.pollingIntervalSeconds,
      maxConcurrentJobs: k.maxConcurrentJobs,
      egressExtraPorts: t.network.egressExtraPorts,
      controllerExtraEgress,
    });

    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    const byRunner = <T>(f: (runner: string) => T) => Object.fromEntries(Object.keys(t.runners).map((n) => [n, f(n)]));
    output('namespace', this.workload.namespace, 'Namespace of run-controller and the run Jobs (Pod Security restricted, default-deny network policy).');
    output('controller_deployments', byRunner((n) => this.workload.controllers[n]!.deploymentName), 'run-controller Deployment per runner: kubectl -n <namespace> rollout status deployment/<name>.');
    output('credentials_secrets', byRunner((n) => this.workload.controllers[n]!.credentialsSecretName), 'Kubernetes Secret per runner holding its credentials (written write-only; values never in state).');
    output('controller_images', byRunner((n) => this.workload.controllers[n]!.image), 'Image (mirror digest) each run-controller runs.');
    output('operators_group', this.workload.operatorAccess?.group ?? '', 'Kubernetes group with read-only access to the namespace (pods, logs, events, jobs).');
    output('updater_group', this.workload.updaterAccess?.group ?? '', 'Kubernetes group that may roll the controller Deployments to a new digest.');
    acknowledgeRunnerWorkload(this.workload, controllerExtraEgress);
    applyAwsRulePack(this);
    applyKubernetesRulePack(this);
  }
}
