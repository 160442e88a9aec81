/**
 * The GCP bindings of the two Kubernetes compositions on GKE, reusing the Cloud Run target's GCP
 * constructs (key, network, Artifact Registry mirror, Secret Manager, alarm channels, the Cloud Run
 * job updater, the operator service account):
 * - `gkeClusterBindings` (`composeKubernetesCluster`): the key; the network with the cluster's
 *   secondary ranges and its intra-network egress; the mirror; the Autopilot cluster; per runner its
 *   three secrets (API client secret, private key, certificate) and its identity (a GCP service
 *   account with no permissions that run-controller's Kubernetes ServiceAccount may act as); the
 *   updater (rolling run-controller through the cluster's DNS endpoint); the operator account;
 * - `gkeWorkloadBindings` (`composeKubernetesWorkload`): mirror digests looked up in Artifact
 *   Registry at plan time; the credentials as ephemeral variables (google 6.50.0 has no ephemeral
 *   Secret Manager read), written into the Kubernetes Secret write-only, so no value is in state.
 * Construct ids are a contract (renaming one replaces cloud resources).
 */
import { DataGoogleArtifactRegistryDockerImage } from '@cdktf/provider-google/lib/data-google-artifact-registry-docker-image';
import { Fn, TerraformLocal, type TerraformStack, TerraformVariable } from 'cdktf';
import type { KubernetesClusterBindings } from '../core/compositions/kubernetes-cluster';
import { mirrorRepositoryName, secretVariableNames } from '../core/naming';
import { releaseImagesOf } from '../kubernetes/release-images';
import type { KubernetesWorkloadBindings } from '../kubernetes/workload-composition';
import { AlarmChannels } from './alarm-channels';
import { GKE_DEFAULT_PODS_CIDR, GKE_DEFAULT_SERVICES_CIDR, type GcpTargetConfig } from './config';
import { GcpContext } from './gcp-context';
import { GKE_PODS_RANGE, GKE_SERVICES_RANGE, gkeClusterName, gkeControllerName, gkeStackNames, kitBucketName, mirrorRegistryRepositoryId, mirrorRegistryUrl } from './gcp-names';
import { GkeCluster } from './gke-cluster';
import { GkeRunnerIdentity } from './gke-runner-identity';
import { LogStorage } from './log-storage';
import { OperatorAccess } from './operator-access';
import { MirrorRegistry } from './registry-mirror';
import { RunnerKey } from './runner-key';
import { RunnerNetwork } from './runner-network';
import { RunnerSecrets } from './runner-secrets';
import { UpdatePipeline } from './update-pipeline';

/** The GKE metadata server: Workload Identity credentials of the runner's service account (Dataplane V2 serves it on 169.254.169.252:988, the classic address answers on 80). */
export const GKE_METADATA_SERVER = [
  { cidr: '169.254.169.252/32', port: 988, protocol: 'TCP' as const, reason: 'GKE metadata server (Workload Identity, Dataplane V2): credentials of the runner identity' },
  { cidr: '169.254.169.254/32', port: 80, protocol: 'TCP' as const, reason: 'GKE metadata server: credentials of the runner identity' },
];

/** The cluster's own lines for the kit's log bucket: the runner namespace's containers and pods, and the cluster's (control plane, nodes' system components). */
export function gkeLogFilters(cluster: string, namespace: string): string[] {
  return [
    `(resource.type="k8s_container" AND resource.labels.cluster_name="${cluster}" AND resource.labels.namespace_name="${namespace}")`,
    `(resource.type="k8s_pod" AND resource.labels.cluster_name="${cluster}" AND resource.labels.namespace_name="${namespace}")`,
    `(resource.type="k8s_cluster" AND resource.labels.cluster_name="${cluster}")`,
    `(resource.type="gke_cluster" AND resource.labels.cluster_name="${cluster}")`,
  ];
}

/** The cluster's address ranges: the runners' subnet, pods, services. */
export function gkeRanges(t: GcpTargetConfig): { readonly subnet: string; readonly pods: string; readonly services: string } {
  return { subnet: t.network.cidr, pods: t.gcp.gke?.podsCidr ?? GKE_DEFAULT_PODS_CIDR, services: t.gcp.gke?.servicesCidr ?? GKE_DEFAULT_SERVICES_CIDR };
}

export function gkeClusterBindings(stack: TerraformStack, name: string, t: GcpTargetConfig): KubernetesClusterBindings & { gke(): GkeCluster; updates(): UpdatePipeline; operators(): OperatorAccess | undefined } {
  const k = t.kubernetes;
  if (k === undefined) throw new Error(`targets.${name}.kubernetes is required on GKE (config validation checks this first)`);
  const ctx = GcpContext.of(stack);
  const ranges = gkeRanges(t);
  const clusterName = gkeClusterName(name);
  let key: RunnerKey | undefined;
  let network: RunnerNetwork | undefined;
  let registry: MirrorRegistry | undefined;
  let cluster: GkeCluster | undefined;
  let updates: UpdatePipeline | undefined;
  let operators: OperatorAccess | undefined;

  return {
    gke: () => cluster!,
    updates: () => updates!,
    operators: () => operators,
    key: () => (key = new RunnerKey(stack, 'Key', { target: name, ...(t.encryption.existingKeyId !== undefined ? { existingKeyId: t.encryption.existingKeyId } : {}) })),
    network: () =>
      (network = new RunnerNetwork(stack, 'Network', {
        target: name,
        cidr: ranges.subnet,
        egressExtraPorts: t.network.egressExtraPorts,
        secondaryRanges: [
          { rangeName: GKE_PODS_RANGE, ipCidrRange: ranges.pods },
          { rangeName: GKE_SERVICES_RANGE, ipCidrRange: ranges.services },
        ],
      })),
    alarmSink: () => {
      new LogStorage(stack, 'Logs', { target: name, runners: Object.keys(t.runners), retentionDays: t.logs.retentionDays, key: key!, workloadFilters: gkeLogFilters(clusterName, k.namespace) });
      return new AlarmChannels(stack, 'AlarmChannels', { target: name, emails: t.alarms.emails });
    },
    mirror: (image) => {
      registry ??= new MirrorRegistry(stack, 'Mirror', { target: name, key: key!, keepReleases: t.updates.keepReleases });
      return registry.mirrorOf(image);
    },
    cluster: () => {
      network!.allowInternalEgress('ClusterEgress', {
        tag: network!.runnerTag,
        ranges: [ranges.subnet, ranges.pods, ranges.services],
        description: 'GKE nodes and pods reach each other, cluster DNS and the control plane\'s private endpoint',
      });
      cluster = new GkeCluster(stack, 'Cluster', {
        target: name,
        clusterName,
        key: key!,
        network: network!,
        registry: registry!,
        kubernetesVersion: k.version,
        subnetCidr: ranges.subnet,
        allowPublicEndpoint: k.allowPublicEndpoint,
        publicEndpointCidrs: k.publicEndpointCidrs,
        ...(t.gcp.gke !== undefined ? { releaseChannel: t.gcp.gke.releaseChannel, maintenanceStartTime: t.gcp.gke.maintenanceStartTime } : {}),
      });
      return cluster;
    },
    runnerSecrets: (runner, r) =>
      new RunnerSecrets(stack, `Runner-${runner}-Secrets`, { target: name, runnerName: runner, key: key!, apiClientSecretVersion: r.apiClientSecretVersion, privateKeyVersion: r.privateKeyVersion, withCertificate: true }),
    runnerIdentity: (runner) =>
      new GkeRunnerIdentity(stack, `Runner-${runner}-Identity`, {
        target: name,
        runner,
        workloadPool: cluster!.workloadPool,
        namespace: k.namespace,
        kubernetesServiceAccount: gkeControllerName(runner),
        dependsOn: [cluster!.resource],
      }),
    updatePipeline: ({ mirrors, alarms }) => {
      const pkg = (image: string) => mirrors.get(image)!.repositoryName.slice(name.length + 1);
      updates = new UpdatePipeline(stack, 'Updates', {
        target: name,
        runners: Object.keys(t.runners).map((runner) => {
          const release = releaseImagesOf(t, runner);
          return {
            name: runner,
            upstreamImage: release.controller,
            version: t.runners[runner]!.version,
            mirrorPackage: pkg(release.controller),
            kubernetes: {
              cluster: clusterName,
              namespace: k.namespace,
              deployment: gkeControllerName(runner),
              implementations: Object.entries(release.implementations).map(([type, image]) => ({ type, upstreamImage: image as string, mirrorPackage: pkg(image as string) })),
            },
          };
        }),
        updates: t.updates,
        key: key!,
        registry: registry!,
        network: network!,
        channels: alarms as AlarmChannels,
        logRetentionDays: t.logs.retentionDays,
      });
      return updates;
    },
    operatorAccess: () =>
      t.operatorAccess === undefined
        ? undefined
        : (operators = new OperatorAccess(stack, 'OperatorAccess', {
            target: name,
            principals: t.operatorAccess.principals,
            clusterName,
            jobName: updates!.jobName,
            bucketName: kitBucketName(ctx.projectId, name),
            dependsOn: [cluster!.resource, updates!.job],
          })),
    // IAM in front of the control plane is granted with the updater's and the operators' roles
    // (container.clusters.get / connect); their namespaced Kubernetes RBAC is in the workload stack.
    clusterAccess: () => undefined,
    platformOutputs: () => ({
      project_id: { value: ctx.projectId, description: 'The GCP project of the target.' },
      cluster_location: { value: cluster!.location, description: 'The region of the Autopilot cluster.' },
      kubeconfig_command: {
        value: `gcloud container clusters get-credentials ${clusterName} --project ${ctx.projectId} --location ${cluster!.location} --dns-endpoint`,
        description: 'Writes a kubeconfig for the cluster\'s DNS endpoint (needs container.clusters.get and connect, and gke-gcloud-auth-plugin).',
      },
      node_service_account: { value: cluster!.nodeServiceAccountEmail, description: 'Service account of the Autopilot nodes (GKE node role, pulls from the mirror).' },
      updater_service_account: { value: updates!.serviceAccountEmail, description: 'The updater\'s service account: the Kubernetes user bound to the namespaced updater Role.' },
      updater_bucket: { value: updates!.bucketName, description: "The kit's bucket: the updater's code and the version records." },
      updater_run_command: {
        value: `gcloud run jobs execute ${updates!.jobName} --project ${ctx.projectId} --region ${ctx.region} --wait --update-env-vars '^@^RUNNER_KIT_PAYLOAD={"action":"check"}'`,
        description: 'How operators start the updater on demand (check, update, rollback), impersonating the operator service account.',
      },
      workload_stack: { value: gkeStackNames(name).workload, description: 'Deploy it next: the runner workload on this cluster.' },
    }),
  };
}

/** The GKE bindings of the workload stack `stack` of target `name` (its cluster stack deployed first). */
export function gkeWorkloadBindings(stack: TerraformStack, name: string, t: GcpTargetConfig): KubernetesWorkloadBindings & { readonly credentialInputs: ReadonlyMap<string, { readonly revision: number; readonly values: readonly string[] }> } {
  const ctx = GcpContext.of(stack);
  const credentialInputs = new Map<string, { revision: number; values: string[] }>();
  return {
    credentialInputs,
    mirroredImage: (upstream, version) => {
      const pkg = mirrorRepositoryName(name, upstream).slice(name.length + 1);
      const image = new DataGoogleArtifactRegistryDockerImage(stack, `Image-${pkg}-${version.replace(/\./g, '_')}`, {
        project: ctx.projectId,
        location: ctx.region,
        repositoryId: mirrorRegistryRepositoryId(name),
        imageName: `${pkg}:${version}`,
      });
      // `name` is projects/<p>/locations/<l>/repositories/<r>/dockerImages/<package>@sha256:<digest>:
      // the digest, as a local (a reference the image-by-digest rule can read).
      const digest = new TerraformLocal(stack, `digest_${pkg.replace(/[^a-z0-9]/g, '_')}_${version.replace(/[^a-z0-9]/g, '_')}`, Fn.element(Fn.split('@', image.name), 1));
      return `${mirrorRegistryUrl(ctx.region, ctx.projectId, name)}/${pkg}@${digest.asString}`;
    },
    credentials: (runner, r) => {
      const vars = secretVariableNames(runner);
      const value = (variable: string, what: string) => {
        const v = new TerraformVariable(stack, variable, {
          type: 'string',
          sensitive: true,
          nullable: false,
          default: '',
          description: `${what} of runner "${runner}", written into its Kubernetes Secret write-only. Needed on the first deploy and whenever apiClientSecretVersion or privateKeyVersion is bumped (the same TF_VAR_ as the cluster stack's); otherwise empty, and nothing is sent.`,
        });
        // cdktf 0.21 has no `ephemeral` option; Terraform >= 1.10 reads it from the override.
        v.addOverride('ephemeral', true);
        return v.stringValue;
      };
      const credentials = {
        apiClientSecret: value(vars.apiClientSecret, 'meshStack API client secret'),
        privateKeyPem: value(vars.privateKey, 'RSA-4096 private key (PEM)'),
        certificatePem: value(vars.certificate, 'X.509 certificate (PEM)'),
        // Moves whenever either version moves (versions only go up).
        revision: r.apiClientSecretVersion + r.privateKeyVersion - 1,
      };
      credentialInputs.set(runner, { revision: credentials.revision, values: [credentials.apiClientSecret, credentials.privateKeyPem, credentials.certificatePem] });
      return credentials;
    },
    missingCredentialsHint: (runner) => {
      const vars = secretVariableNames(runner);
      return (
        `deploy ${gkeStackNames(name).workload} with TF_VAR_${vars.apiClientSecret}, TF_VAR_${vars.privateKey} and TF_VAR_${vars.certificate} set ` +
        `and apiClientSecretVersion or privateKeyVersion of runner ${runner} bumped (the Secret is written only when they move)`
      );
    },
    // run-controller's GCP identity (Workload Identity) is served by the GKE metadata server.
    controllerExtraEgress: t.kubernetes === undefined ? [] : GKE_METADATA_SERVER,
  };
}
