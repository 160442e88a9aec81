/**
 * What custom roles grant in a synthesized Azure stack: each `azurerm_role_definition`'s operations,
 * and which principals hold which definitions through `azurerm_role_assignment`s (matched by a
 * reference to the definition's `role_definition_resource_id`, or its id).
 */
import { asReference, blocks, strings } from '../../../core/rules/expressions';
import type { SynthesizedConfig, TerraformResourceView } from '../../../core/rules/synthesized-config';

export interface RoleGrant {
  readonly actions: readonly string[];
  readonly dataActions: readonly string[];
}

export function grantOf(definition: TerraformResourceView): RoleGrant {
  const permissions = blocks(definition.body.permissions);
  return { actions: permissions.flatMap((p) => strings(p.actions)), dataActions: permissions.flatMap((p) => strings(p.data_actions)) };
}

/** The assignments of `definition` in the stack. */
export function assignmentsOf(definition: TerraformResourceView, config: SynthesizedConfig): TerraformResourceView[] {
  return config.ofType('azurerm_role_assignment').filter((a) => asReference(a.body.role_definition_id)?.address === definition.address);
}

/** Every operation (control and data plane) the principals holding `definition` hold through any custom role of the stack. */
export function operationsOfHolders(definition: TerraformResourceView, config: SynthesizedConfig): Set<string> {
  const principals = new Set(assignmentsOf(definition, config).map((a) => JSON.stringify(a.body.principal_id)));
  const out = new Set<string>();
  for (const other of config.ofType('azurerm_role_definition')) {
    if (!assignmentsOf(other, config).some((a) => principals.has(JSON.stringify(a.body.principal_id)))) continue;
    const g = grantOf(other);
    for (const op of [...g.actions, ...g.dataActions]) out.add(op.toLowerCase());
  }
  return out;
}
