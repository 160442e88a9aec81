/**
 * K8S-NS-2 (kit-only): every namespace has a ResourceQuota bounding CPU and memory (requests and
 * limits) and a LimitRange giving containers default limits and a maximum.
 */
import { block, blocks, isExpression, isSet } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import type { JsonObject } from '../../core/rules/synthesized-config';
import { LIMIT_RANGE_TYPES, NAMESPACE_TYPES, objectsIn, RESOURCE_QUOTA_TYPES } from './support/namespaces';

/** Quota keys that must be bounded; each alternative counts (`cpu` is `requests.cpu`). */
const QUOTA_KEYS: readonly (readonly string[])[] = [['requests.cpu', 'cpu'], ['requests.memory', 'memory'], ['limits.cpu'], ['limits.memory']];

/** What a quota's `hard` map leaves unbounded; a map given as an expression counts as set. */
function unbounded(quota: JsonObject): string[] {
  const hard = block(quota.spec)?.hard;
  if (isExpression(hard)) return [];
  const h = block(hard) ?? {};
  return QUOTA_KEYS.filter((alts) => !alts.some((k) => isSet(h[k]))).map((alts) => alts[0]!);
}

/** What a LimitRange's Container entry is missing (default limits, max), for cpu and memory. */
function containerLimitGaps(limitRange: JsonObject): string[] {
  const limits = block(limitRange.spec)?.limit;
  if (isExpression(limits)) return [];
  const container = blocks(limits).find((l) => l.type === 'Container');
  if (!container) return ['a limit of type Container'];
  const has = (kind: string, k: string) => isExpression(container[kind]) || isSet(block(container[kind])?.[k]);
  return ['default', 'max'].flatMap((kind) => ['cpu', 'memory'].filter((k) => !has(kind, k)).map((k) => `${kind}.${k}`));
}

export const NAMESPACE_QUOTA_AND_LIMITS: Rule = {
  id: 'K8S-NS-2',
  title: 'The runner namespace has a ResourceQuota and a LimitRange',
  why: 'Runs are started by the controller on demand; without a quota a burst of runs (or a controller bug) takes the whole cluster, and without a LimitRange a container that declares no limits runs unbounded.',
  fix: 'Create a ResourceQuota with requests.cpu, requests.memory, limits.cpu and limits.memory, and a LimitRange with a Container limit giving default and max cpu and memory, in the namespace (RunnerNamespace does).',
  publicIds: [],
  appliesTo: NAMESPACE_TYPES,
  check: (ns, config) => {
    const findings: Finding[] = [];
    const quotas = objectsIn(ns, config, RESOURCE_QUOTA_TYPES);
    const quotaGaps = quotas.map((q) => unbounded(q.body));
    if (!quotaGaps.some((g) => g.length === 0)) {
      findings.push({ key: 'ResourceQuota', message: quotas.length === 0 ? 'no ResourceQuota in the namespace: what its pods request and use is unbounded' : `no ResourceQuota of the namespace bounds all of requests.cpu, requests.memory, limits.cpu, limits.memory (missing: ${quotaGaps[0]!.join(', ')})` });
    }
    const ranges = objectsIn(ns, config, LIMIT_RANGE_TYPES);
    const rangeGaps = ranges.map((r) => containerLimitGaps(r.body));
    if (!rangeGaps.some((g) => g.length === 0)) {
      findings.push({ key: 'LimitRange', message: ranges.length === 0 ? 'no LimitRange in the namespace: a container without limits runs unbounded' : `no LimitRange of the namespace gives containers default and max cpu and memory (missing: ${rangeGaps[0]!.join(', ')})` });
    }
    return fromFindings(findings);
  },
};
