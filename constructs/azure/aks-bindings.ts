/**
 * The Azure bindings of the two Kubernetes compositions on AKS:
 * - `aksClusterBindings` (`composeKubernetesCluster`): the Azure foundation shared with Azure
 *   Container Instances (Key Vault, VNet with the node subnet, Log Analytics, storage, action
 *   group, mirror registry, private endpoints), the AKS cluster, the runners' secrets in the Key
 *   Vault (with the certificate run-controller needs), their workload identities (no
 *   permissions), the updater (the same Functions app as on ACI, rolling run-controller through
 *   the cluster's private API) and operator access (read-only diagnostics plus the runner
 *   namespace, never cluster-wide);
 * - `aksWorkloadBindings` (`composeKubernetesWorkload`): mirror digests from the cluster stack's
 *   outputs (the deploy's bootstrap promoted them), credentials read from the Key Vault as
 *   ephemeral values (the EKS `data_wo` pattern), no extra egress.
 * Construct ids are a contract (renaming one replaces cloud resources): those of
 * `foundation-bindings.ts`, `Cluster`, `Runner-<name>-Secrets`, `Runner-<name>-Identity`,
 * `Updates`, `OperatorAccess`.
 */
import { Fn, TerraformOutput, Token, type TerraformRemoteState, type TerraformStack } from 'cdktf';
import type { KubernetesClusterBindings } from '../core/compositions/kubernetes-cluster';
import { ephemeralResource } from '../core/ephemeral';
import { secretVariableNames } from '../core/naming';
import { CONTROLLER_APP } from '../kubernetes/labels';
import { releaseImagesOf } from '../kubernetes/release-images';
import type { KubernetesWorkloadBindings } from '../kubernetes/workload-composition';
import type { AzureStackSetup } from '../../stacks/azure-stack';
import { AksCluster } from './aks-cluster';
import { aksMaintenanceSchedule } from './aks-maintenance';
import { AksRunnerIdentity } from './aks-runner-identity';
import { aksClusterName, aksNodeResourceGroupName, aksRunnerIdentityName, aksStackNames, mirrorRepositoryName, registryName, runnerSecretName, storageAccountName, updaterAppName } from './azure-names';
import { AKS_POD_CIDR, aksNodeCounts, aksNodeType, resourceGroupOf, type AzureTargetConfig } from './config';
import { azureFoundationBindings } from './foundation-bindings';
import { AzureOperatorAccess } from './operator-access';
import { RunnerSecrets } from './runner-secrets';
import { AzureUpdatePipeline } from './update-pipeline';
import { buildAzureUpdaterConfig } from './updater-config';
import { maintenanceWindowOf } from '../core/config/schema';

/** The cluster stack's outputs the workload stack reads. */
export const AKS_HANDOVER = { digests: 'mirrored_digests', vault: 'key_vault_id', host: 'cluster_host', ca: 'cluster_ca_certificate' } as const;
/** The key of one release image in the `mirrored_images` output. */
export const mirroredImageKey = (upstream: string, version: string) => `${upstream}:${version}`;

export function aksClusterBindings(stack: TerraformStack, name: string, t: AzureTargetConfig, setup: AzureStackSetup): KubernetesClusterBindings & { aks(): AksCluster } {
  const k = t.kubernetes;
  if (k === undefined) throw new Error(`targets.${name}.kubernetes is required on AKS (config validation checks this first)`);
  const { scope } = setup;
  const sub = t.azure.subscriptionId;
  const foundation = azureFoundationBindings(stack, name, t, setup, { clusterNodes: { podCidr: AKS_POD_CIDR } });
  let cluster: AksCluster | undefined;
  let updates: AzureUpdatePipeline | undefined;

  return {
    aks: () => cluster!,
    key: foundation.key,
    network: foundation.network,
    alarmSink: foundation.alarmSink,
    mirror: foundation.mirror,
    cluster: () => {
      const counts = aksNodeCounts(t);
      if ('unsized' in counts) throw new Error(`kubernetes.nodeTypes: ${counts.unsized} cannot be sized (config validation checks this first)`);
      const network = foundation.runnerNetwork();
      return (cluster = new AksCluster(stack, 'Cluster', {
        scope,
        target: name,
        name: aksClusterName(name),
        kubernetesVersion: k.version,
        nodeSubnetId: network.subnetIds.runners,
        egress: network.egress,
        vmSize: aksNodeType(t),
        minNodes: counts.min,
        maxNodes: counts.max,
        workspaceId: foundation.logs().id,
        registryId: foundation.registry().id,
        nodeResourceGroup: aksNodeResourceGroupName(resourceGroupOf(name, t)),
        maintenance: aksMaintenanceSchedule(maintenanceWindowOf(t.updates)),
        deployerObjectId: setup.deployerObjectId,
        resourceGroupId: setup.resourceGroupId,
        resourceGroup: setup.resourceGroup,
        allowPublicEndpoint: k.allowPublicEndpoint,
        publicEndpointCidrs: k.publicEndpointCidrs,
      }));
    },
    runnerSecrets: (runner, r) =>
      new RunnerSecrets(stack, `Runner-${runner}-Secrets`, {
        scope,
        target: name,
        runnerName: runner,
        vault: foundation.vault(),
        vaultName: foundation.vaultName,
        apiClientSecretVersion: r.apiClientSecretVersion,
        privateKeyVersion: r.privateKeyVersion,
        withCertificate: true,
      }),
    runnerIdentity: (runner) =>
      new AksRunnerIdentity(stack, `Runner-${runner}-Identity`, {
        scope,
        name: aksRunnerIdentityName(name, runner),
        issuer: cluster!.oidcIssuerUrl,
        namespace: k.namespace,
        serviceAccount: `${CONTROLLER_APP}-${runner}`,
      }),
    updatePipeline: ({ alarms }) =>
      (updates = new AzureUpdatePipeline(stack, 'Updates', {
        scope,
        target: name,
        appName: updaterAppName(sub, name),
        config: buildAzureUpdaterConfig(name, t),
        registry: foundation.registry(),
        storage: foundation.storage(),
        workspace: foundation.logs(),
        updaterSubnetId: foundation.runnerNetwork().subnetIds.updater,
        runnerSubnetId: foundation.runnerNetwork().subnetIds.runners,
        alarms,
        deployerObjectId: setup.deployerObjectId,
        resourceGroupId: setup.resourceGroupId,
        resourceGroup: setup.resourceGroup,
        kubernetes: { clusterId: cluster!.clusterId, clusterName: aksClusterName(name), namespace: k.namespace },
      })),
    operatorAccess: () =>
      t.operatorAccess === undefined
        ? undefined
        : new AzureOperatorAccess(stack, 'OperatorAccess', {
            subscriptionId: sub,
            target: name,
            principalObjectId: t.operatorAccess.principalObjectId,
            resourceGroupId: setup.resourceGroupId,
            requestQueueId: updates!.requestQueueId,
            resourceGroup: setup.resourceGroup,
            kubernetes: { clusterId: cluster!.clusterId, namespace: k.namespace },
          }),
    // The deployer's, the updater's and the operators' Azure RBAC assignments are made by the cluster, the update pipeline and the operator access.
    clusterAccess: () => undefined,
    platformOutputs: () => {
      const digests: Record<string, string> = {};
      for (const [runner, r] of Object.entries(t.runners)) {
        const release = releaseImagesOf(t, runner);
        digests[mirroredImageKey(release.controller, r.version)] = updates!.bootstrapDigestOf(runner);
        for (const [type, image] of Object.entries(release.implementations)) digests[mirroredImageKey(image as string, r.version)] = updates!.bootstrapDigestOf(`${runner}/${type}`);
      }
      // The API server's CA: not a secret, but azurerm marks the kubeconfig sensitive, so its output must be too.
      new TerraformOutput(stack, AKS_HANDOVER.ca, {
        value: cluster!.cluster.kubeConfig.get(0).clusterCaCertificate,
        sensitive: true,
        description: "The AKS API server's CA certificate (base64 PEM), for the workload stack's Kubernetes provider.",
      });
      return {
        resource_group: { value: scope.resourceGroupName, description: "The kit's resource group: everything of this target is in it (AKS's node resource group beside it)." },
        cluster_id: { value: cluster!.clusterId, description: 'The AKS cluster (its ARM id): operators\' and the updater\'s Azure RBAC assignments are at its runner namespace.' },
        [AKS_HANDOVER.host]: { value: `https://${cluster!.endpoint}:443`, description: 'The API server address the workload stack and the updater use (private unless kubernetes.allowPublicEndpoint).' },
        oidc_issuer_url: { value: cluster!.oidcIssuerUrl, description: "The cluster's OIDC issuer: the runners' workload identities are federated through it." },
        kubeconfig_command: {
          value: `az aks get-credentials --resource-group ${resourceGroupOf(name, t)} --name ${aksClusterName(name)} && kubelogin convert-kubeconfig -l azurecli`,
          description: 'Writes a kubeconfig for this cluster (Entra ID sign-in through kubelogin; from inside the VNet or a peered network).',
        },
        key_vault: { value: foundation.vaultName, description: "The Key Vault holding the runners' secrets (values never in state)." },
        [AKS_HANDOVER.vault]: { value: foundation.vault().vaultId, description: 'The Key Vault (its ARM id): the workload stack reads the runners\' credentials from it, ephemerally.' },
        registry_login_server: { value: foundation.registry().loginServer, description: 'The mirror registry the nodes pull from (by digest).' },
        [AKS_HANDOVER.digests]: { value: digests, description: 'The mirror digest of each release image the deploy promoted (`<upstream>:<version>`): the workload stack runs these.' },
        log_workspace_id: { value: foundation.logs().id, description: "The Log Analytics workspace of the cluster's logs, Container Insights and the updater's telemetry." },
        updater_request_queue: {
          value: updates!.requestQueueId,
          description: `Ask the updater on demand: az storage message put --auth-mode login --account-name ${storageAccountName(sub, name)} --queue-name updater-requests --content '{"action":"check"}'.`,
        },
      };
    },
  };
}

/** The AKS bindings of the workload stack `stack` of target `name`, reading its cluster stack's outputs from `cluster`. */
export function aksWorkloadBindings(stack: TerraformStack, name: string, t: AzureTargetConfig, cluster: TerraformRemoteState): KubernetesWorkloadBindings {
  const vaultId = cluster.getString(AKS_HANDOVER.vault);
  const loginServer = `${registryName(t.azure.subscriptionId, name)}.azurecr.io`;
  return {
    mirroredImage: (upstream, version) =>
      `${loginServer}/${mirrorRepositoryName(name, upstream)}@${Token.asString(Fn.lookupNested(cluster.get(AKS_HANDOVER.digests), [mirroredImageKey(upstream, version)]))}`,
    credentials: (runner, r) => {
      const read = (what: 'api-client-secret' | 'private-key' | 'certificate') =>
        ephemeralResource(stack, 'azurerm_key_vault_secret', `${runner}_${what.replace(/-/g, '_')}`, { name: runnerSecretName(runner, what), key_vault_id: vaultId });
      const pem = (what: 'private-key' | 'certificate') => `\${base64decode(ephemeral.azurerm_key_vault_secret.${read(what).name}.value)}`;
      return {
        apiClientSecret: read('api-client-secret').get('value'),
        // Key Vault strips line breaks, so the PEMs are kept base64-encoded.
        privateKeyPem: pem('private-key'),
        certificatePem: pem('certificate'),
        // Moves whenever either version moves (versions only go up).
        revision: r.apiClientSecretVersion + r.privateKeyVersion - 1,
      };
    },
    missingCredentialsHint: (runner) => {
      const vars = secretVariableNames(runner);
      const names = aksStackNames(name);
      return (
        `deploy ${names.cluster} with TF_VAR_${vars.apiClientSecret}, TF_VAR_${vars.privateKey} and TF_VAR_${vars.certificate} set ` +
        `(bump apiClientSecretVersion / privateKeyVersion if they were empty), then deploy ${names.workload}`
      );
    },
    controllerExtraEgress: [],
  };
}
