/**
 * Kubernetes adapters of the updater: a minimal API client, the run-controller Deployment as a
 * RunnerDeployment (controller image and implementation images, rollout status, ReplicaSet-based
 * restore), and the EKS bearer token for reaching a private EKS endpoint from AWS Lambda.
 */
export {
  CHANGE_CAUSE_ANNOTATION,
  POD_TEMPLATE_HASH_LABEL,
  REVISION_ANNOTATION,
  type ConfigMap,
  type Deployment,
  type DeploymentCondition,
  type DeploymentStatus,
  type PodTemplateSpec,
  type ReplicaSet,
  type ReplicaSetList,
  type Status,
} from './api-objects';
export {
  CONFIG_HISTORY_ANNOTATION,
  CONFIG_HISTORY_MAX_BYTES,
  CONFIG_HISTORY_MAX_ENTRIES,
  findConfig,
  parseConfigHistory,
  rememberConfigs,
  serializeConfigHistory,
  type ConfigHistoryEntry,
} from './config-history';
export { assessDeploymentRollout, PROGRESS_DEADLINE_EXCEEDED, type DeploymentRolloutAssessment } from './deployment-rollout-assessment';
export { CLUSTER_ID_HEADER, EKS_TOKEN_PREFIX, eksToken, eksTokenProvider, PRESIGN_EXPIRES_SECONDS, TOKEN_REUSE_MS, type EksTokenOptions } from './eks-token';
export {
  apiPaths,
  isConflict,
  isNotFound,
  isTransientKubernetesError,
  KubernetesApiError,
  KubernetesClient,
  KubernetesTransportError,
  PATCH_CONTENT_TYPES,
  type KubernetesClientOptions,
  type PatchType,
  type RequestOptions,
  type TokenProvider,
} from './kubernetes-client';
export {
  CONFIG_HASH_ANNOTATION,
  DEFAULT_CONFIG_KEY,
  DEFAULT_CONTROLLER_CONTAINER,
  KubernetesRunnerDeployment,
  VERSION_ANNOTATION,
  type KubernetesRunnerDeploymentOptions,
  type RunnerImages,
} from './kubernetes-runner-deployment';
export { canonicalJson, deploymentTemplateOf, parseRevision, templateRevision, withoutTemplateHash } from './pod-template-revision';
export {
  configSha256,
  IMPLEMENTATION_TYPES,
  implementationImagesOf,
  withImplementationImages,
  type ImplementationImages,
  type ImplementationType,
} from './run-controller-config-images';
export { encodeRfc3986, presignUrl, SIGV4_ALGORITHM, type AwsCredentials, type PresignRequest } from './sigv4-presign';
