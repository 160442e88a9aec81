/** The container definitions of an `aws_ecs_task_definition` (a JSON string), as objects. */
import { isExpression, show } from '../../../core/rules/expressions';
import type { JsonObject, TerraformResourceView } from '../../../core/rules/synthesized-config';

export type ContainersRead = { readonly ok: true; readonly containers: readonly JsonObject[] } | { readonly ok: false; readonly problem: string };

export function containersOf(taskDefinition: TerraformResourceView): ContainersRead {
  const text = taskDefinition.body.container_definitions;
  if (typeof text !== 'string') return { ok: false, problem: `container_definitions is ${show(text)}, not a JSON string` };
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return { ok: false, problem: 'container_definitions is not a JSON list' };
    return { ok: true, containers: parsed.filter((c): c is JsonObject => typeof c === 'object' && c !== null && !Array.isArray(c)) };
  } catch {
    return { ok: false, problem: isExpression(text) ? `container_definitions is the Terraform expression ${show(text)}, which cannot be checked at synthesis` : 'container_definitions is not valid JSON' };
  }
}

/** `Container::<name>`: the finding key of a container. */
export const containerKey = (c: JsonObject): string => `Container::${typeof c.name === 'string' ? c.name : '?'}`;
