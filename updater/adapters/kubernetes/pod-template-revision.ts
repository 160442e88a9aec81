/**
 * The revision of a runner Deployment, as the updater names it: the Deployment's name and a hash
 * of its pod template, e.g. `run-controller-default:3f2a9c1d0b4e5a67`.
 *
 * Why not the deployment controller's own identifiers:
 * - `deployment.kubernetes.io/revision` (the number `kubectl rollout history` shows) moves: a
 *   rollback to revision 3 renumbers that ReplicaSet to the next number, so a recorded number
 *   would later name nothing, or something else.
 * - `pod-template-hash` is stable, but the deployment controller computes it (FNV over Go's
 *   struct dump) only after a rollout started, so `rollOut` could not return it at once.
 *
 * The hash here is SHA-256 over the canonical JSON of the template as the API server stores it,
 * without the `pod-template-hash` label. A ReplicaSet's template is exactly its Deployment's plus
 * that label (that is how the deployment controller finds the ReplicaSet of a template), so the
 * revision of a template and of its ReplicaSet agree, before and after any rollback. Pure, so the
 * identity is tested on recorded objects.
 */
import { createHash } from 'node:crypto';
import { POD_TEMPLATE_HASH_LABEL, type PodTemplateSpec, type ReplicaSet } from './api-objects';

/** Hex digits of the template hash kept in a revision: 64 bits, ample among a Deployment's few revisions. */
const HASH_HEX_DIGITS = 16;
const REVISION = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?):([0-9a-f]{16})$/;

/** The revision of `template` of Deployment `deploymentName`. */
export function templateRevision(deploymentName: string, template: PodTemplateSpec): string {
  const hash = createHash('sha256').update(canonicalJson(withoutTemplateHash(template)), 'utf8').digest('hex');
  return `${deploymentName}:${hash.slice(0, HASH_HEX_DIGITS)}`;
}

/** Splits a revision into Deployment name and template hash; `undefined` for anything else. */
export function parseRevision(revision: string): { readonly deployment: string; readonly hash: string } | undefined {
  const match = REVISION.exec(revision);
  return match ? { deployment: match[1]!, hash: match[3]! } : undefined;
}

/**
 * A ReplicaSet's template as its Deployment held it: a deep copy without the `pod-template-hash`
 * label (what `kubectl rollout undo` writes back). `undefined` when the ReplicaSet has no template.
 */
export function deploymentTemplateOf(replicaSet: ReplicaSet): PodTemplateSpec | undefined {
  return replicaSet.spec.template === undefined ? undefined : withoutTemplateHash(replicaSet.spec.template);
}

/** A deep copy of `template` without the `pod-template-hash` label (and without `labels` when that leaves none). */
export function withoutTemplateHash(template: PodTemplateSpec): PodTemplateSpec {
  const copy = structuredClone(template) as { metadata?: { labels?: Record<string, string> } };
  const labels = copy.metadata?.labels;
  if (labels !== undefined) {
    delete labels[POD_TEMPLATE_HASH_LABEL];
    if (Object.keys(labels).length === 0) delete copy.metadata!.labels;
  }
  return copy as PodTemplateSpec;
}

/** JSON with object keys sorted at every level, so equal objects give equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
