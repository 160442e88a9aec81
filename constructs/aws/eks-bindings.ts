/**
 * The AWS bindings of the two Kubernetes compositions on EKS:
 * - `eksClusterBindings` (`composeKubernetesCluster`): KMS keys, the VPC, ECR mirrors, the EKS
 *   cluster, Secrets Manager, Pod Identity roles, the SNS alarm topic, the Lambda updater, the
 *   operator role and the access entries;
 * - `eksWorkloadBindings` (`composeKubernetesWorkload`): mirror digests looked up in ECR at plan
 *   time, credentials read from Secrets Manager as ephemeral values, and the Pod Identity agent as
 *   the controller's extra egress.
 * Construct ids are a contract (renaming one replaces cloud resources).
 */
import type { TerraformStack } from 'cdktf';
import type { KubernetesClusterBindings } from '../core/compositions/kubernetes-cluster';
import { ephemeralResource } from '../core/ephemeral';
import type { IRunnerSecrets } from '../core/interfaces';
import { logGroupPrefix, mirrorRepositoryName } from '../core/naming';
import type { KubernetesWorkloadBindings } from '../kubernetes/workload-composition';
import { releaseImagesOf } from '../kubernetes/release-images';
import { AlarmTopic } from './alarm-topic';
import { alarmTopicName, controlPlaneLogKeyAlias, eksNames, operatorRoleName, updaterLogGroupName } from './aws-names';
import type { AwsTargetConfig } from './config';
import { EKS_DEFAULT_NODE_TYPES, eksNodeCounts } from './config';
import { EksAccess } from './eks-access';
import { MirrorImage } from './eks-mirror-image';
import { EksPlatform } from './eks-platform';
import { EksPodIdentity, POD_IDENTITY_AGENT } from './eks-pod-identity';
import { RunnerCertificate } from './eks-runner-certificate';
import { relaxed } from './emulator-profile';
import { OperatorAccess } from './operator-access';
import { RegistryMirror } from './registry-mirror';
import { RunnerKey, targetKey } from './runner-key';
import { RunnerNetwork, runnerNetworkProps } from './runner-network';
import { RunnerSecrets, secretVariableNames } from './runner-secrets';
import { UpdatePipeline } from './update-pipeline';

export function eksClusterBindings(stack: TerraformStack, target: string, t: AwsTargetConfig): KubernetesClusterBindings & { platform(): EksPlatform; access(): EksAccess } {
  const k = t.kubernetes;
  if (k === undefined) throw new Error(`targets.${target}.kubernetes is required on EKS (config validation checks this first)`);
  const logPrefix = logGroupPrefix(target);
  const clusterName = eksNames.cluster(target);
  const mirrors = new Map<string, RegistryMirror>();
  let platform: EksPlatform | undefined;
  let network: RunnerNetwork | undefined;
  let updates: UpdatePipeline | undefined;
  let access: EksAccess | undefined;

  return {
    platform: () => platform!,
    access: () => access!,
    key: () => targetKey(stack, target, t),
    network: (key) => (network = new RunnerNetwork(stack, 'Network', runnerNetworkProps(target, t.network, { key, groupPrefix: logPrefix, retentionDays: t.logs.retentionDays }))),
    mirror: (image, key) => {
      const repositoryName = mirrorRepositoryName(target, image);
      const mirror = new RegistryMirror(stack, `Mirror-${repositoryName.slice(target.length + 1)}`, { repositoryName, upstreamImage: image, key, keepReleases: t.updates.keepReleases });
      mirrors.set(image, mirror);
      return mirror;
    },
    cluster: ({ key }) => {
      // EKS writes control-plane logs to /aws/eks/<cluster>/cluster, outside the kit's log prefix the
      // target key is scoped to; this key is scoped to exactly that group.
      // A bring-your-own key encrypts these logs too (its policy names both log-group prefixes).
      const controlPlaneLogKey = t.encryption.existingKeyId !== undefined ? key : new RunnerKey(stack, 'ControlPlaneLogKey', { alias: controlPlaneLogKeyAlias(target), logGroupPrefix: eksNames.controlPlaneLogPrefix(target) });
      const allArm = Object.values(t.runners).every((r) => r.architecture === 'arm64');
      return (platform = new EksPlatform(stack, 'Platform', {
        clusterName,
        kubernetesVersion: k.version,
        subnetIds: network!.privateSubnetIds,
        secretsKey: key,
        logKey: controlPlaneLogKey,
        logRetentionDays: t.logs.retentionDays,
        allowPublicEndpoint: k.allowPublicEndpoint,
        publicEndpointCidrs: k.publicEndpointCidrs,
        nodeTypes: k.nodeTypes ?? EKS_DEFAULT_NODE_TYPES,
        nodeAmiType: allArm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
        // Sized from what the workload promises (config validation refuses sizes that cannot hold it).
        ...nodeGroupSizes(t),
      }));
    },
    runnerSecrets: (runner, r, key): IRunnerSecrets => {
      const secrets = new RunnerSecrets(stack, `Runner-${runner}-Secrets`, { target, runnerName: runner, key, apiClientSecretVersion: r.apiClientSecretVersion, privateKeyVersion: r.privateKeyVersion });
      // run-controller also needs the certificate: it checks the key against it and registers it.
      const certificate = new RunnerCertificate(stack, `Runner-${runner}-Certificate`, { target, runnerName: runner, key, privateKeyVersion: r.privateKeyVersion });
      return { inputs: [...secrets.inputs, certificate.input], secretIds: { ...secrets.secretIds, certificate: certificate.secretArn } };
    },
    runnerIdentity: (runner) =>
      new EksPodIdentity(stack, `Runner-${runner}-Identity`, {
        roleName: eksNames.runnerRole(target, runner),
        clusterName: platform!.clusterName,
        clusterArn: platform!.clusterArn,
        namespace: k.namespace,
        serviceAccount: eksNames.controller(runner),
        dependsOn: platform!.podIdentityAgent,
      }),
    alarmSink: (key) => new AlarmTopic(stack, 'AlarmTopic', { topicName: alarmTopicName(target), key, emails: t.alarms.emails }),
    updatePipeline: ({ key, network: n, alarms }) =>
      (updates = new UpdatePipeline(stack, 'Updates', {
        target,
        runners: Object.entries(t.runners).map(([runner, r]) => {
          const release = releaseImagesOf(t, runner);
          return {
            kind: 'kubernetes' as const,
            name: runner,
            upstreamImage: release.controller,
            version: r.version,
            mirror: mirrors.get(release.controller)!,
            clusterName,
            namespace: k.namespace,
            deployment: eksNames.controller(runner),
            implementations: Object.entries(release.implementations).map(([type, image]) => ({ type, upstreamImage: image as string, mirror: mirrors.get(image as string)! })),
          };
        }),
        updates: t.updates,
        key,
        logGroupName: updaterLogGroupName(target),
        logRetentionDays: t.logs.retentionDays,
        network: n,
        alarms,
        apiSecurityGroupIds: relaxed(stack, 'eks-no-updater-api-rule') ? [] : [platform!.clusterSecurityGroupId],
      })),
    operatorAccess: () =>
      t.operatorAccess === undefined
        ? undefined
        : new OperatorAccess(stack, 'OperatorAccess', {
            roleName: operatorRoleName(target),
            ...t.operatorAccess,
            platform: { kind: 'eks', clusterArn: platform!.clusterArn },
            logGroupNamePrefix: logPrefix,
            alarmNamePrefix: `${target}-`,
            updaterFunctionArns: [updates!.onDemandArn],
          }),
    clusterAccess: ({ operatorAccess }) => {
      access = new EksAccess(stack, 'Access', {
        clusterName: platform!.clusterName,
        updaterRoleArn: updates!.role.roleArn,
        operatorRoleArns: operatorAccess !== undefined ? [operatorAccess.principal] : [],
      });
    },
    platformOutputs: () => ({
      cluster_arn: { value: platform!.clusterArn, description: 'EKS cluster ARN.' },
      kubeconfig_command: { value: `aws eks update-kubeconfig --region ${t.region} --name ${clusterName}`, description: 'Writes a kubeconfig for this cluster (needs an access entry and eks:DescribeCluster).' },
      node_group_name: { value: platform!.nodeGroupName, description: 'Managed node group of the cluster.' },
      control_plane_log_group: { value: platform!.controlPlaneLogGroupName, description: 'CloudWatch log group of the control-plane logs (api, audit, authenticator, controllerManager, scheduler).' },
      deployer_principal_arn: { value: access!.deployerPrincipalArn, description: 'IAM principal with cluster-admin access (the deployer).' },
      public_subnet_ids: { value: network!.publicSubnetIds, description: 'Public subnets hosting only the NAT gateways (empty for a bring-your-own VPC).' },
      updater_on_demand: { value: updates!.onDemandArn, description: 'The updater\'s on-demand alias: aws lambda invoke --function-name <updater_name> --qualifier on-demand --payload \'{"action":"check"}\'.' },
    }),
  };
}

/** The EKS bindings of the workload stack `stack` of target `target` (its cluster stack deployed first). */
export function eksWorkloadBindings(stack: TerraformStack, target: string): KubernetesWorkloadBindings {
  return {
    mirroredImage: (upstream, version) => {
      const repositoryName = mirrorRepositoryName(target, upstream);
      return new MirrorImage(stack, `Image-${repositoryName.slice(target.length + 1)}-${version.replace(/\./g, '_')}`, { repositoryName, tag: version }).reference;
    },
    credentials: (runner, r) => {
      const secretId = (suffix: string) => `${eksNames.secretPrefix(target, runner)}/${suffix}`;
      const read = (what: string, suffix: string) => ephemeralResource(stack, 'aws_secretsmanager_secret_version', `${runner}_${what}`, { secret_id: secretId(suffix) }).get('secret_string');
      return {
        apiClientSecret: read('api_client_secret', 'api-client-secret'),
        privateKeyPem: read('private_key', 'private-key'),
        certificatePem: read('certificate', 'certificate'),
        // Moves whenever either version moves (versions only go up).
        revision: r.apiClientSecretVersion + r.privateKeyVersion - 1,
      };
    },
    missingCredentialsHint: (runner) => {
      const vars = secretVariableNames(runner);
      return (
        `deploy ${target}-cluster with TF_VAR_${vars.apiClientSecret}, TF_VAR_${vars.privateKey} and TF_VAR_${vars.certificate} set ` +
        `(bump apiClientSecretVersion / privateKeyVersion if they were empty), then deploy ${target}-workload`
      );
    },
    // The controller's AWS identity (EKS Pod Identity) is served by the node-local agent.
    controllerExtraEgress: [{ ...POD_IDENTITY_AGENT, reason: 'EKS Pod Identity agent: AWS credentials of the runner identity' }],
  };
}

/** The node group's min, desired and max sizes from `eksNodeCounts`. */
function nodeGroupSizes(t: AwsTargetConfig): { nodeMinSize: number; nodeDesiredSize: number; nodeMaxSize: number } {
  const counts = eksNodeCounts(t);
  if ('unsized' in counts) throw new Error(`kubernetes.nodeTypes: ${counts.unsized} cannot be sized (config validation checks this first)`);
  return { nodeMinSize: counts.min, nodeDesiredSize: counts.desired, nodeMaxSize: counts.max };
}
