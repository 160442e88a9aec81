/**
 * Which namespaced objects of a synthesized stack live in which namespace: an object's
 * `metadata.namespace` either references a namespace resource of the stack
 * (`${kubernetes_namespace_v1.X.metadata[0].name}`) or names it literally; no namespace means
 * `default`.
 */
import { asReference, block, isExpression } from '../../../core/rules/expressions';
import type { SynthesizedConfig, TerraformResourceView } from '../../../core/rules/synthesized-config';

export const NAMESPACE_TYPES: readonly string[] = ['kubernetes_namespace_v1', 'kubernetes_namespace'];
export const NETWORK_POLICY_TYPES: readonly string[] = ['kubernetes_network_policy_v1', 'kubernetes_network_policy'];
export const RESOURCE_QUOTA_TYPES: readonly string[] = ['kubernetes_resource_quota_v1', 'kubernetes_resource_quota'];
export const LIMIT_RANGE_TYPES: readonly string[] = ['kubernetes_limit_range_v1', 'kubernetes_limit_range'];
export const PDB_TYPES: readonly string[] = ['kubernetes_pod_disruption_budget_v1', 'kubernetes_pod_disruption_budget'];

/** The literal `metadata.name` of an object, or undefined when it is absent or an expression. */
export function literalName(resource: TerraformResourceView): string | undefined {
  const name = block(resource.body.metadata)?.name;
  return typeof name === 'string' && !isExpression(name) ? name : undefined;
}

/** `"name"` for messages, else the address. */
export const displayName = (resource: TerraformResourceView): string => {
  const name = literalName(resource);
  return name !== undefined ? JSON.stringify(name) : resource.address;
};

/** Whether the namespaced object `resource` lives in the namespace resource `namespace`. */
export function inNamespace(resource: TerraformResourceView, namespace: TerraformResourceView): boolean {
  const value = block(resource.body.metadata)?.namespace ?? 'default';
  const ref = asReference(value);
  if (ref) return ref.address === namespace.address;
  return typeof value === 'string' && !isExpression(value) && value === literalName(namespace);
}

/** Objects of `types` in the namespace resource `namespace`. */
export function objectsIn(namespace: TerraformResourceView, config: SynthesizedConfig, types: readonly string[]): TerraformResourceView[] {
  return types.flatMap((t) => config.ofType(t)).filter((r) => inNamespace(r, namespace));
}

/** The namespace resource of the stack `resource` lives in, if the stack creates it. */
export function namespaceOf(resource: TerraformResourceView, config: SynthesizedConfig): TerraformResourceView | undefined {
  return NAMESPACE_TYPES.flatMap((t) => config.ofType(t)).find((ns) => inNamespace(resource, ns));
}
