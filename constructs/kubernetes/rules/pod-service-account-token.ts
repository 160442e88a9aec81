/**
 * K8S-POD-6 (CKV_K8S_38): the Kubernetes API token is mounted only into pods that call the API.
 * Pods and ServiceAccounts set `automount_service_account_token: false` (the kubernetes provider
 * defaults both to true); a pod that needs the API (the run-controller) carries an acknowledged
 * `ServiceAccountToken` finding naming what it calls.
 */
import { readBoolean, show, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';
import { podOf, POD_WORKLOAD_TYPES } from './support/pod-spec';

export const SERVICE_ACCOUNT_TYPES: readonly string[] = [
  'kubernetes_service_account_v1', 'kubernetes_service_account', 'kubernetes_default_service_account_v1', 'kubernetes_default_service_account',
];

const KEY = 'ServiceAccountToken';

export const POD_SERVICE_ACCOUNT_TOKEN: Rule = {
  id: 'K8S-POD-6',
  title: 'The Kubernetes API token is mounted only where the pod calls the API',
  why: 'A mounted ServiceAccount token lets whatever runs in the pod call the Kubernetes API with the account\'s permissions; a compromised run pod or a pod that never needed it should hold no API credential at all.',
  fix: 'Set automount_service_account_token: false on the ServiceAccount and on the pod spec. For a pod that calls the Kubernetes API (the run-controller creates Jobs), acknowledge K8S-POD-6[ServiceAccountToken] on it with what it calls.',
  publicIds: ['CKV_K8S_38'],
  appliesTo: [...POD_WORKLOAD_TYPES, ...SERVICE_ACCOUNT_TYPES],
  check: (resource) => {
    let value;
    let where;
    if (SERVICE_ACCOUNT_TYPES.includes(resource.type)) {
      value = resource.body.automount_service_account_token;
      where = 'the ServiceAccount';
    } else {
      const read = podOf(resource);
      if (!read.ok) return nonCompliant(read.problem);
      value = read.pod.automount_service_account_token;
      where = 'the pod spec';
    }
    const v = readBoolean(value);
    if (v.kind === 'literal' && !v.value) return compliant();
    if (v.kind === 'expression') return nonCompliant(`${where}: ${unprovable('automount_service_account_token', v.text)}`, KEY);
    return nonCompliant(`${where} mounts the ServiceAccount API token (automount_service_account_token ${v.kind === 'absent' ? 'unset, which the kubernetes provider defaults to true' : show(v.value)})`, KEY);
  },
};
