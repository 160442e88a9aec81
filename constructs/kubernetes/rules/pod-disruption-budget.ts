/**
 * K8S-PDB-1 (kit-only): PodDisruptionBudgets set `max_unavailable: 1` and never a `min_available`
 * equal to (or above) the replicas of a workload they select, which would block every node drain.
 */
import { block, isExpression, readNumber, show, unprovable } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import type { SynthesizedConfig, TerraformResourceView } from '../../core/rules/synthesized-config';
import { displayName, inNamespace, namespaceOf, PDB_TYPES } from './support/namespaces';

const REPLICATED_TYPES = ['kubernetes_deployment_v1', 'kubernetes_deployment', 'kubernetes_stateful_set_v1', 'kubernetes_stateful_set'];

/** Workloads of the PDB's namespace whose pod labels include every `match_labels` entry of its selector. */
function selectedWorkloads(pdb: TerraformResourceView, config: SynthesizedConfig): TerraformResourceView[] {
  const wanted = block(block(block(pdb.body.spec)?.selector)?.match_labels);
  if (!wanted || Object.keys(wanted).length === 0) return [];
  const ns = namespaceOf(pdb, config);
  const pdbNamespace = block(pdb.body.metadata)?.namespace;
  return REPLICATED_TYPES.flatMap((t) => config.ofType(t)).filter((w) => {
    const sameNamespace = ns ? inNamespace(w, ns) : block(w.body.metadata)?.namespace === pdbNamespace;
    const labels = block(block(block(block(w.body.spec)?.template)?.metadata)?.labels) ?? {};
    return sameNamespace && Object.entries(wanted).every(([k, v]) => labels[k] === v);
  });
}

export const POD_DISRUPTION_BUDGET: Rule = {
  id: 'K8S-PDB-1',
  title: 'PodDisruptionBudgets allow one pod down (max_unavailable 1), never min_available = replicas',
  why: 'A budget that allows no eviction (max_unavailable 0, or min_available equal to the replicas) makes every node drain hang, so node upgrades and scale-downs stall; one at a time keeps the controller available while nodes roll.',
  fix: 'Set spec.max_unavailable = "1" and remove min_available (RunController does).',
  publicIds: [],
  appliesTo: PDB_TYPES,
  check: (pdb, config) => {
    const spec = block(pdb.body.spec) ?? {};
    const findings: Finding[] = [];
    const max = readNumber(spec.max_unavailable);
    if (!(max.kind === 'literal' && max.value === 1)) {
      findings.push({
        key: 'MaxUnavailable',
        message:
          max.kind === 'expression' ? unprovable('spec.max_unavailable', max.text)
            : max.kind === 'absent' ? `max_unavailable is unset${spec.min_available !== undefined ? ` (the budget uses min_available ${show(spec.min_available)} instead)` : ''}`
              : `max_unavailable is ${show(max.value)}, not 1`,
      });
    }
    const minRaw = spec.min_available;
    if (minRaw !== undefined && minRaw !== null) {
      const min = readNumber(minRaw);
      if (min.kind === 'expression') findings.push({ key: 'MinAvailable', message: unprovable('spec.min_available', min.text) });
      else if (minRaw === '100%') findings.push({ key: 'MinAvailable', message: 'min_available is "100%": no pod may ever be evicted' });
      else if (min.kind === 'literal') {
        for (const w of selectedWorkloads(pdb, config)) {
          const replicas = readNumber(block(w.body.spec)?.replicas ?? 1);
          if (replicas.kind === 'literal' && min.value >= replicas.value) {
            findings.push({ key: 'MinAvailable', message: `min_available ${min.value} is at least the ${replicas.value} replica(s) of ${w.type} ${displayName(w)}: no pod may ever be evicted` });
          } else if (replicas.kind === 'expression' && !isExpression(minRaw)) {
            findings.push({ key: 'MinAvailable', message: `min_available ${min.value} against the replicas of ${displayName(w)}, ${unprovable('replicas', replicas.text)}` });
          }
        }
      }
    }
    return fromFindings(findings);
  },
};
