/**
 * The first of a target's two stacks on EKS: everything AWS-side. Key, private network, mirror
 * repositories, the EKS cluster (private endpoint, encrypted Secrets, all control-plane logs,
 * network policy enforcement, IMDSv2-only nodes), the runners' credentials in Secrets Manager,
 * their cloud identities (EKS Pod Identity, no permissions) and the access entries. The workload
 * stack (`AwsEksWorkloadStack`) then deploys run-controller onto this cluster.
 */
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AlarmTopic } from '../constructs/aws/alarm-topic';
import { AwsContext } from '../constructs/aws/aws-context';
import { alarmTopicName, controlPlaneLogKeyAlias, keyAlias, operatorRoleName, updaterLogGroupName } from '../constructs/aws/aws-names';
import { applyAwsRulePack } from '../constructs/aws/rules';
import { EksAccess } from '../constructs/aws/eks-access';
import { mirrorRepositoryName } from '../constructs/aws/eks-mirror-image';
import { EksPlatform } from '../constructs/aws/eks-platform';
import { EksPodIdentity } from '../constructs/aws/eks-pod-identity';
import { RunnerCertificate } from '../constructs/aws/eks-runner-certificate';
import { OperatorAccess } from '../constructs/aws/operator-access';
import { relaxed } from '../constructs/aws/emulator-profile';
import { RegistryMirror } from '../constructs/aws/registry-mirror';
import { RunnerKey } from '../constructs/aws/runner-key';
import { RunnerNetwork, runnerNetworkProps } from '../constructs/aws/runner-network';
import { RunnerSecrets, type SecretInput } from '../constructs/aws/runner-secrets';
import { UpdatePipeline } from '../constructs/aws/update-pipeline';
import type { TargetConfig } from '../constructs/core/config/schema';
import { logGroupPrefix } from '../constructs/core/naming';
import { configureAwsStack, eksMirroredImages, eksNames, eksUpstreamImages } from './aws-eks-common';

export interface AwsEksClusterStackProps {
  /** The target's name in the config (the stack is `<target>-cluster`). */
  readonly targetName: string;
  readonly target: TargetConfig;
  /**
   * The updater's IAM role; gets the Kubernetes group bound to the updater Role.
   * @default - no updater access entry (until the update pipeline exists on EKS)
   */
  readonly updaterRoleArn?: string;
  /**
   * IAM roles of meshcloud operators (the target's operator role); get the read-only group.
   * @default [] - no operator access entries
   */
  readonly operatorRoleArns?: readonly string[];
  /** @default - the principal running the deploy */
  readonly deployerPrincipalArn?: string;
}

export interface EksRunnerResources {
  readonly secrets: RunnerSecrets;
  readonly certificate: RunnerCertificate;
  readonly identity: EksPodIdentity;
}

export class AwsEksClusterStack extends TerraformStack {
  readonly network: RunnerNetwork;
  readonly platform: EksPlatform;
  readonly access: EksAccess;
  readonly mirrors: Readonly<Record<string, RegistryMirror>>;
  readonly runners: Readonly<Record<string, EksRunnerResources>>;
  readonly secretInputs: readonly SecretInput[];
  readonly updates: UpdatePipeline;
  readonly alarmTopicArn: string;
  /** The meshcloud operator role, when `operatorAccess` is configured. */
  readonly operatorAccess?: OperatorAccess;

  constructor(scope: Construct, name: string, props: AwsEksClusterStackProps) {
    super(scope, name);
    const t = props.target;
    const target = props.targetName;
    const k = t.kubernetes;
    if (k === undefined) throw new Error(`targets.${target}.kubernetes is required on EKS (config validation checks this first)`);
    configureAwsStack(this, name, target, t);
    AwsContext.init(this, t.region);
    const clusterName = eksNames.cluster(target);

    const logPrefix = logGroupPrefix(target);
    const key = new RunnerKey(this, 'Key', { alias: keyAlias(target), logGroupPrefix: logPrefix });
    // EKS writes control-plane logs to /aws/eks/<cluster>/cluster, outside the kit's log prefix the
    // target key is scoped to; this key is scoped to exactly that group.
    const controlPlaneLogKey = new RunnerKey(this, 'ControlPlaneLogKey', { alias: controlPlaneLogKeyAlias(target), logGroupPrefix: `/aws/eks/${clusterName}/` });
    this.network = new RunnerNetwork(this, 'Network', runnerNetworkProps(target, t.network, { keyArn: key.keyArn, groupPrefix: logPrefix, retentionDays: t.logs.retentionDays }));

    const mirrors: Record<string, RegistryMirror> = {};
    for (const image of eksMirroredImages(t)) {
      const repositoryName = mirrorRepositoryName(target, image);
      mirrors[image] = new RegistryMirror(this, `Mirror-${repositoryName.slice(target.length + 1)}`, {
        repositoryName,
        upstreamImage: image,
        kmsKeyArn: key.keyArn,
        keepReleases: t.updates.keepReleases,
      });
    }
    this.mirrors = mirrors;

    const allArm = Object.values(t.runners).every((r) => r.architecture === 'arm64');
    this.platform = new EksPlatform(this, 'Platform', {
      clusterName,
      kubernetesVersion: k.version,
      subnetIds: this.network.privateSubnetIds,
      secretsKeyArn: key.keyArn,
      logKeyArn: controlPlaneLogKey.keyArn,
      logRetentionDays: t.logs.retentionDays,
      allowPublicEndpoint: k.allowPublicEndpoint,
      publicEndpointCidrs: k.publicEndpointCidrs,
      nodeInstanceTypes: k.nodeInstanceTypes,
      nodeAmiType: allArm ? 'AL2023_ARM_64_STANDARD' : 'AL2023_x86_64_STANDARD',
      nodeMinSize: k.nodeMinSize,
      nodeMaxSize: k.nodeMaxSize,
      nodeDesiredSize: k.nodeDesiredSize,
    });

    const runners: Record<string, EksRunnerResources> = {};
    for (const [runnerName, r] of Object.entries(t.runners)) {
      runners[runnerName] = {
        secrets: new RunnerSecrets(this, `Runner-${runnerName}-Secrets`, { target, runnerName, kmsKeyArn: key.keyArn, apiClientSecretVersion: r.apiClientSecretVersion, privateKeyVersion: r.privateKeyVersion }),
        certificate: new RunnerCertificate(this, `Runner-${runnerName}-Certificate`, { target, runnerName, kmsKeyArn: key.keyArn, privateKeyVersion: r.privateKeyVersion }),
        identity: new EksPodIdentity(this, `Runner-${runnerName}-Identity`, {
          roleName: eksNames.runnerRole(target, runnerName),
          clusterName: this.platform.clusterName,
          clusterArn: this.platform.clusterArn,
          namespace: k.namespace,
          serviceAccount: eksNames.controller(runnerName),
          dependsOn: this.platform.podIdentityAgent,
        }),
      };
    }
    this.runners = runners;
    this.secretInputs = Object.values(runners).flatMap((r) => [...r.secrets.inputs, r.certificate.input]);

    // The update pipeline: the bootstrap promotes each runner's release (controller and job
    // images) into the mirror before the workload stack looks the digests up; later runs roll the
    // run-controller Deployments through the cluster's private endpoint.
    const alarms = new AlarmTopic(this, 'AlarmTopic', { topicName: alarmTopicName(target), kmsKeyArn: key.keyArn, emails: t.alarms.emails });
    this.alarmTopicArn = alarms.topicArn;
    this.updates = new UpdatePipeline(this, 'Updates', {
      target,
      runners: Object.entries(t.runners).map(([runnerName, r]) => {
        const upstream = eksUpstreamImages(t, runnerName);
        return {
          kind: 'kubernetes' as const,
          name: runnerName,
          upstreamImage: upstream.controller,
          version: r.version,
          mirror: mirrors[upstream.controller]!,
          clusterName,
          namespace: k.namespace,
          deployment: eksNames.controller(runnerName),
          implementations: Object.entries(upstream.implementations).map(([type, image]) => ({ type, upstreamImage: image as string, mirror: mirrors[image as string]! })),
        };
      }),
      updates: t.updates,
      kmsKeyArn: key.keyArn,
      logGroupName: updaterLogGroupName(target),
      logRetentionDays: t.logs.retentionDays,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      alarmTopicArn: alarms.topicArn,
      apiSecurityGroupIds: relaxed(this, 'eks-no-updater-api-rule') ? [] : [this.platform.clusterSecurityGroupId],
    });

    if (t.operatorAccess !== undefined) {
      this.operatorAccess = new OperatorAccess(this, 'OperatorAccess', {
        roleName: operatorRoleName(target),
        ...t.operatorAccess,
        platform: { kind: 'eks', clusterArn: this.platform.clusterArn },
        logGroupNamePrefix: logPrefix,
        alarmNamePrefix: `${target}-`,
        updaterFunctionArns: [this.updates.onDemandArn],
      });
    }

    this.access = new EksAccess(this, 'Access', {
      clusterName: this.platform.clusterName,
      deployerPrincipalArn: props.deployerPrincipalArn,
      updaterRoleArn: props.updaterRoleArn ?? this.updates.role.roleArn,
      operatorRoleArns: props.operatorRoleArns ?? (this.operatorAccess ? [this.operatorAccess.roleArn] : []),
    });

    const byRunner = (f: (r: EksRunnerResources) => unknown) => Object.fromEntries(Object.entries(runners).map(([n, r]) => [n, f(r)]));
    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    output('cluster_name', this.platform.clusterName, 'EKS cluster running the runner workload.');
    output('cluster_arn', this.platform.clusterArn, 'EKS cluster ARN.');
    output('cluster_endpoint', this.platform.clusterEndpoint, 'Kubernetes API endpoint (private unless kubernetes.allowPublicEndpoint).');
    output('kubeconfig_command', `aws eks update-kubeconfig --region ${t.region} --name ${clusterName}`, 'Writes a kubeconfig for this cluster (needs an access entry and eks:DescribeCluster).');
    output('node_group_name', this.platform.nodeGroupName, 'Managed node group of the cluster.');
    output('control_plane_log_group', this.platform.controlPlaneLogGroupName, 'CloudWatch log group of the control-plane logs (api, audit, authenticator, controllerManager, scheduler).');
    output('deployer_principal_arn', this.access.deployerPrincipalArn, 'IAM principal with cluster-admin access (the deployer).');
    output('runner_role_arns', byRunner((r) => r.identity.roleArn), 'IAM role per runner, assumed by its run-controller through EKS Pod Identity (no permissions by default).');
    output('runner_secret_arns', byRunner((r) => ({ api_client_secret: r.secrets.apiClientSecretArn, private_key: r.secrets.privateKeyArn, certificate: r.certificate.secretArn })), 'Secrets Manager ARNs per runner (values are never in state).');
    output('mirror_repositories', Object.fromEntries(Object.entries(mirrors).map(([image, m]) => [image, m.repositoryUrl])), 'Private mirror repository (ECR) per upstream image: the cluster pulls only from these.');
    output('vpc_id', this.network.vpcId, 'VPC of the cluster.');
    output('private_subnet_ids', this.network.privateSubnetIds, 'Private subnets of the control-plane interfaces and nodes.');
    output('public_subnet_ids', this.network.publicSubnetIds, 'Public subnets hosting only the NAT gateways (empty for a bring-your-own VPC).');
    output('nat_egress_ips', this.network.natEgressIps, 'Public IPs all runner traffic leaves from: allow-list these on your git servers (empty for a bring-your-own VPC).');
    output('updater_function_name', this.updates.functionName, 'The updater (Lambda): invoke its on-demand alias with {"action": "check" | "update" | "rollback"}: aws lambda invoke --function-name <name> --qualifier on-demand (see README: Updates).');
    output('runner_version_parameters', this.updates.versionParameters, 'SSM parameter per runner holding the version the updater deployed.');
    if (this.operatorAccess) output('operator_role_arn', this.operatorAccess.roleArn, 'Role meshcloud operators assume (with the agreed external id): read-only diagnostics, the read-only Kubernetes group, invoking the updater.');
    output('alarm_topic_arn', alarms.topicArn, 'SNS topic the update alarms publish to: subscribe your on-call channel.');
    output('kms_key_arn', key.keyArn, 'Customer-managed key encrypting Kubernetes Secrets, runner secrets, mirror and logs.');
    output('secret_inputs', this.secretInputs.map((i) => i.variable), 'Ephemeral variables to set as TF_VAR_<name> on the first deploy and whenever the version of their secret is bumped (apiClientSecretVersion, privateKeyVersion).');
    applyAwsRulePack(
      this,
      t.network.egressExtraPorts.filter((p) => p !== 22).map((p) => ({ ruleId: 'AWS-SG-3', findingKey: `Egress::tcp:${p}`, reason: `TCP ${p} to the internet, opted in by network.egressExtraPorts` })),
    );
  }
}
