/**
 * The parts of Kubernetes API objects the updater reads and writes, typed after the API's JSON
 * (apps/v1 Deployment and ReplicaSet, core/v1 ConfigMap, meta/v1 Status). Only the fields the
 * updater uses are named; everything else an object carries is kept untouched (`[key: string]:
 * unknown`), since the updater writes back templates and objects it did not author in full.
 */

export interface ObjectMeta {
  readonly name?: string;
  readonly namespace?: string;
  readonly uid?: string;
  readonly resourceVersion?: string;
  readonly generation?: number;
  readonly creationTimestamp?: string | null;
  readonly deletionTimestamp?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  readonly ownerReferences?: readonly OwnerReference[];
  readonly [key: string]: unknown;
}

export interface OwnerReference {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  readonly controller?: boolean;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly [key: string]: unknown;
}

export interface PodTemplateSpec {
  readonly metadata?: ObjectMeta;
  readonly spec?: {
    readonly containers?: readonly Container[];
    readonly initContainers?: readonly Container[];
    readonly [key: string]: unknown;
  };
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly unknown[];
}

export interface DeploymentCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown';
  readonly reason?: string;
  readonly message?: string;
  readonly lastUpdateTime?: string;
  readonly lastTransitionTime?: string;
}

export interface DeploymentStatus {
  readonly observedGeneration?: number;
  readonly replicas?: number;
  readonly updatedReplicas?: number;
  readonly readyReplicas?: number;
  readonly availableReplicas?: number;
  readonly unavailableReplicas?: number;
  readonly conditions?: readonly DeploymentCondition[];
  readonly collisionCount?: number;
}

export interface Deployment {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly replicas?: number;
    readonly selector: LabelSelector;
    readonly template: PodTemplateSpec;
    readonly paused?: boolean;
    readonly progressDeadlineSeconds?: number;
    readonly revisionHistoryLimit?: number;
    readonly [key: string]: unknown;
  };
  readonly status?: DeploymentStatus;
}

export interface ReplicaSet {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly replicas?: number;
    readonly selector?: LabelSelector;
    readonly template?: PodTemplateSpec;
    readonly [key: string]: unknown;
  };
  readonly status?: { readonly replicas?: number; readonly availableReplicas?: number; readonly readyReplicas?: number; readonly [key: string]: unknown };
}

export interface ReplicaSetList {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly resourceVersion?: string };
  readonly items: readonly ReplicaSet[];
}

export interface ConfigMap {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata: ObjectMeta;
  readonly data?: Readonly<Record<string, string>>;
  readonly binaryData?: Readonly<Record<string, string>>;
  readonly immutable?: boolean;
}

/** meta/v1 Status, the body of every API error. */
export interface Status {
  readonly kind: 'Status';
  readonly apiVersion?: string;
  readonly status?: 'Success' | 'Failure';
  readonly message?: string;
  /** Machine-readable: NotFound, Conflict, Forbidden, Unauthorized, Invalid, AlreadyExists, ... */
  readonly reason?: string;
  readonly details?: { readonly name?: string; readonly group?: string; readonly kind?: string; readonly causes?: readonly { readonly message?: string; readonly field?: string }[] };
  readonly code?: number;
}

/** The annotation the deployment controller numbers each revision with (on the Deployment and its ReplicaSets). */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** The label the deployment controller adds to a ReplicaSet's template and selector. */
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';
/** What `kubectl rollout history` shows per revision. */
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
