/**
 * run-controller's identity in the cluster: one ServiceAccount per controller and ONE namespaced
 * Role bound to them, with exactly the verbs meshcloud publishes for it
 * (building-block-runner/run-controller/k8s/rbac.yaml). Nothing cluster-wide: no ClusterRole, no
 * ClusterRoleBinding.
 *
 * The ServiceAccounts do not automount tokens; the controller's pod opts in explicitly, because it
 * calls the API. The Jobs it creates run under per-definition ServiceAccounts with no token.
 */
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { RoleV1 } from '@cdktf/provider-kubernetes/lib/role-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { checkName, CONTROLLER_APP, kitLabels } from './labels';
import { checkRules, renderRules, type KubernetesRule } from './rbac-rules';

export const RUN_JOBS: KubernetesRule = {
  apiGroups: ['batch'],
  resources: ['jobs'],
  verbs: ['create', 'get', 'list', 'watch', 'delete'],
  justification: 'One Job per run; listed to count the runs in flight (maxConcurrentJobs), deleted when a run is cleaned up.',
};
export const MANAGE_RUN_SECRETS: KubernetesRule = {
  apiGroups: [''],
  resources: ['secrets'],
  verbs: ['create', 'get', 'update', 'patch', 'delete'],
  justification: "One Secret per run holding the decrypted run, mounted into its Job, then owned by the Job so it is deleted with it.",
};
export const CREATE_RUN_SERVICE_ACCOUNTS: KubernetesRule = {
  apiGroups: [''],
  resources: ['serviceaccounts'],
  verbs: ['create', 'get'],
  justification: 'One ServiceAccount per building-block definition, whose projected tokens federate the run to AWS, Azure or GCP.',
};
/** run-controller's rules, as published by meshcloud. */
export const RUN_CONTROLLER_RULES: readonly KubernetesRule[] = [RUN_JOBS, MANAGE_RUN_SECRETS, CREATE_RUN_SERVICE_ACCOUNTS];

export interface RunControllerRbacProps {
  readonly namespace: string;
  /** One ServiceAccount per controller. */
  readonly serviceAccountNames: readonly string[];
  /** @default 'run-controller' */
  readonly roleName?: string;
}

export class RunControllerRbac extends Construct {
  readonly roleName: string;
  readonly serviceAccountNames: readonly string[];
  readonly rules: readonly KubernetesRule[] = RUN_CONTROLLER_RULES;

  constructor(scope: Construct, id: string, props: RunControllerRbacProps) {
    super(scope, id);
    const roleName = props.roleName ?? CONTROLLER_APP;
    checkName('roleName', roleName);
    if (props.serviceAccountNames.length === 0) throw new Error('serviceAccountNames is empty: give each controller a ServiceAccount');
    if (new Set(props.serviceAccountNames).size !== props.serviceAccountNames.length) throw new Error(`serviceAccountNames lists a name twice: ${props.serviceAccountNames.join(', ')}`);
    for (const n of props.serviceAccountNames) if (!Token.isUnresolved(n)) checkName('service account', n);
    checkRules(`Role ${roleName}`, this.rules);

    const accounts = props.serviceAccountNames.map(
      (name, i) =>
        new ServiceAccountV1(this, `ServiceAccount${i + 1}`, {
          metadata: { name, namespace: props.namespace, labels: kitLabels(CONTROLLER_APP, name) },
          automountServiceAccountToken: false,
        }),
    );
    const role = new RoleV1(this, 'Resource', {
      metadata: { name: roleName, namespace: props.namespace, labels: kitLabels(CONTROLLER_APP) },
      rule: renderRules(this.rules),
    });
    new RoleBindingV1(this, 'Binding', {
      metadata: { name: roleName, namespace: props.namespace, labels: kitLabels(CONTROLLER_APP) },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.metadata.name },
      subject: accounts.map((a) => ({ kind: 'ServiceAccount', name: a.metadata.name, namespace: props.namespace })),
    });
    this.roleName = role.metadata.name;
    this.serviceAccountNames = accounts.map((a) => a.metadata.name);
  }
}
