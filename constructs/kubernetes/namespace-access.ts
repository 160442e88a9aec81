/**
 * Access for a group of humans or automation to the runner namespace: a namespaced Role with
 * declared rules, bound to a Kubernetes group that the cloud maps its principals to (EKS access
 * entries, AKS Entra groups, GKE Google groups). The same Role works on every cloud; what differs
 * is only who is in the group.
 */
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { Construct } from 'constructs';
import { checkName, kitLabels } from './labels';
import { checkRules, renderRules, type KubernetesRule } from './rbac-rules';

export const READ_PODS_AND_LOGS: KubernetesRule = {
  apiGroups: [''],
  resources: ['pods', 'pods/log'],
  verbs: ['get', 'list', 'watch'],
  justification: 'Diagnose the controller and the run pods: status, restarts and logs.',
};
export const READ_EVENTS: KubernetesRule = {
  apiGroups: ['', 'events.k8s.io'],
  resources: ['events'],
  verbs: ['get', 'list', 'watch'],
  justification: 'See why a pod or Job did not start (scheduling, quota, image pull, probes).',
};
export const READ_JOBS: KubernetesRule = {
  apiGroups: ['batch'],
  resources: ['jobs'],
  verbs: ['get', 'list', 'watch'],
  justification: 'Follow the run Jobs the controller started and their outcome.',
};
/** meshcloud operators: read-only diagnostics, no secrets, no exec, no changes. */
export const OPERATOR_RULES: readonly KubernetesRule[] = [READ_PODS_AND_LOGS, READ_EVENTS, READ_JOBS];

export const ROLL_OUT_CONTROLLER: KubernetesRule = {
  apiGroups: ['apps'],
  resources: ['deployments'],
  verbs: ['get', 'list', 'watch', 'patch'],
  justification: "Set the controller Deployment's image to a new digest, or back to the previous one, and follow the rollout.",
};
export const WATCH_ROLLOUT: KubernetesRule = {
  apiGroups: ['apps'],
  resources: ['replicasets'],
  verbs: ['get', 'list', 'watch'],
  justification: 'Tell the new revision from the old one while a rollout is verified.',
};
export const CHECK_CONTROLLER_HEALTH: KubernetesRule = {
  apiGroups: [''],
  resources: ['pods'],
  verbs: ['get', 'list', 'watch'],
  justification: 'Verify the new controller pods are ready before an update counts as healthy.',
};
export const EDIT_CONTROLLER_CONFIG: KubernetesRule = {
  apiGroups: [''],
  resources: ['configmaps'],
  verbs: ['get', 'patch'],
  justification: "Point the controller's config file at the new job images (and keep the previous file for a rollback).",
};
/*
 * Deliberately not `pods/proxy`: reading run-controller's /metrics through the API server would need
 * it (GET to any port of any pod in the namespace, the run pods included) and an ingress
 * NetworkPolicy from the control plane, while nothing may connect to the runner. The log carries the
 * same registration event (updater/core/runner-logs/run-controller.ts).
 */
export const READ_CONTROLLER_LOGS: KubernetesRule = {
  apiGroups: [''],
  resources: ['pods/log'],
  verbs: ['get'],
  justification:
    "Read the new controller pods' log after a rollout: whether they registered with meshStack and poll without errors (their readiness probe on /metrics cannot tell).",
};
/** The updater: roll the controller (and its job images) to a digest and verify it; nothing else in the namespace. */
export const UPDATER_RULES: readonly KubernetesRule[] = [ROLL_OUT_CONTROLLER, WATCH_ROLLOUT, CHECK_CONTROLLER_HEALTH, READ_CONTROLLER_LOGS, EDIT_CONTROLLER_CONFIG];

export interface NamespaceAccessProps {
  readonly namespace: string;
  /** Role and RoleBinding name. */
  readonly name: string;
  /** The Kubernetes group bound to the Role. */
  readonly group: string;
  readonly rules: readonly KubernetesRule[];
}

export class NamespaceAccess extends Construct {
  readonly roleName: string;
  readonly group: string;
  readonly rules: readonly KubernetesRule[];

  constructor(scope: Construct, id: string, props: NamespaceAccessProps) {
    super(scope, id);
    checkName('Role name', props.name);
    if (props.group.length === 0 || props.group.startsWith('system:')) {
      throw new Error(`group "${props.group}" cannot be bound: system: groups belong to Kubernetes itself; use a group of the kit, e.g. "private-runner-kit:operators"`);
    }
    checkRules(`Role ${props.name}`, props.rules);
    this.rules = props.rules;
    this.group = props.group;
    const role = new RoleV1(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels: kitLabels(props.name) },
      rule: renderRules(props.rules),
    });
    new RoleBindingV1(this, 'Binding', {
      metadata: { name: props.name, namespace: props.namespace, labels: kitLabels(props.name) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
      subject: [{ kind: 'Group', name: props.group, apiGroup: 'rbac.authorization.k8s.io' }],
    });
    this.roleName = role.metadata.name;
  }
}
