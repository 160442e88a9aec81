/**
 * The pure part of the check pack: run rules over a synthesized configuration, then match the
 * findings with acknowledgements. No constructs involved, so fixtures can be plain JSON.
 */
import type { PlacedAcknowledgement } from './acknowledgement';
import { findingId, type Rule, type RuleStatus } from './rule';
import type { SynthesizedConfig } from './synthesized-config';

/** One rule's verdict on one resource. */
export interface RuleResult {
  readonly ruleId: string;
  readonly address: string;
  readonly status: RuleStatus;
  /** Why the rule does not apply (status `not-applicable`). */
  readonly reason?: string;
}

/** One finding, located. */
export interface FindingRecord {
  readonly ruleId: string;
  /** Terraform address of the resource the finding is on. */
  readonly address: string;
  readonly key: string;
  /** `<ruleId>[<key>]` */
  readonly id: string;
  readonly message: string;
}

export interface Evaluation {
  readonly results: readonly RuleResult[];
  readonly findings: readonly FindingRecord[];
}

/** Runs every rule on every resource of the types it applies to. A rule that throws is a bug: rethrown with its id and the resource. */
export function evaluateRules(config: SynthesizedConfig, rules: readonly Rule[]): Evaluation {
  const results: RuleResult[] = [];
  const findings = new Map<string, FindingRecord>();
  for (const rule of rules) {
    for (const type of rule.appliesTo) {
      for (const resource of config.ofType(type)) {
        let verdict;
        try {
          verdict = rule.check(resource, config);
        } catch (e) {
          throw new Error(`rule ${rule.id} failed on ${resource.address}: ${(e as Error).message}`);
        }
        results.push({ ruleId: rule.id, address: resource.address, status: verdict.status, ...(verdict.status === 'not-applicable' ? { reason: verdict.reason } : {}) });
        if (verdict.status !== 'non-compliant') continue;
        for (const f of verdict.findings) {
          const key = f.key ?? resource.address;
          const slot = `${rule.id} ${resource.address} ${key}`;
          const seen = findings.get(slot);
          // The same key twice on one resource (e.g. one action in two statements) is one finding.
          findings.set(slot, seen ? { ...seen, message: seen.message.includes(f.message) ? seen.message : `${seen.message}; ${f.message}` } : { ruleId: rule.id, address: resource.address, key, id: findingId(rule.id, key), message: f.message });
        }
      }
    }
  }
  return { results, findings: [...findings.values()] };
}

export interface AcknowledgedFinding extends FindingRecord {
  readonly reason: string;
  /** Construct path the acknowledgement was attached at. */
  readonly acknowledgedAt: string;
}

export interface AcknowledgementMatch {
  /** Findings no acknowledgement covers: these fail synthesis. */
  readonly open: readonly FindingRecord[];
  readonly acknowledged: readonly AcknowledgedFinding[];
  /** Acknowledgements that matched no finding (stale, or for a configuration not used here). */
  readonly unused: readonly PlacedAcknowledgement[];
  /** Unknown rule ids and acknowledgements that cover more than one finding: these fail synthesis. */
  readonly problems: readonly string[];
}

const within = (path: string, scope: string) => scope === '' || path === scope || path.startsWith(`${scope}/`);

/**
 * Matches acknowledgements to findings. An acknowledgement covers the findings with its rule id
 * and key whose resource lies at or below its scope; it must cover exactly one. `pathOf` gives the
 * construct path of a resource address (the stack's path when no construct defines it). When
 * several acknowledgements cover one finding, the one attached deepest wins.
 */
export function matchAcknowledgements(
  findings: readonly FindingRecord[],
  acknowledgements: readonly PlacedAcknowledgement[],
  pathOf: (address: string) => string,
  knownRuleIds: ReadonlySet<string>,
  /** The stack's pack names, for messages. @default - none named */
  packNames: readonly string[] = [],
): AcknowledgementMatch {
  const problems: string[] = [];
  const unused: PlacedAcknowledgement[] = [];
  const coveredBy = new Map<FindingRecord, PlacedAcknowledgement>();
  for (const a of acknowledgements) {
    const id = findingId(a.ruleId, a.findingKey);
    if (!knownRuleIds.has(a.ruleId)) {
      const packs = packNames.length > 0 ? ` (${packNames.join(', ')})` : '';
      problems.push(`acknowledgement ${id} at ${a.scopePath}: no rule ${a.ruleId} in this stack's rule packs${packs}; known ids: ${[...knownRuleIds].sort().join(', ')}`);
      continue;
    }
    const hits = findings.filter((f) => f.ruleId === a.ruleId && f.key === a.findingKey && within(pathOf(f.address), a.scopePath));
    if (hits.length === 0) {
      unused.push(a);
    } else if (hits.length > 1) {
      problems.push(`acknowledgement ${id} at ${a.scopePath} covers ${hits.length} findings (${hits.map((h) => h.address).join(', ')}); an acknowledgement covers one finding: attach it to the construct of the one resource it is meant for`);
    } else {
      const f = hits[0]!;
      const previous = coveredBy.get(f);
      if (!previous || a.scopePath.length > previous.scopePath.length) coveredBy.set(f, a);
    }
  }
  const acknowledged: AcknowledgedFinding[] = [];
  const open: FindingRecord[] = [];
  for (const f of findings) {
    const a = coveredBy.get(f);
    if (a) acknowledged.push({ ...f, reason: a.reason, acknowledgedAt: a.scopePath });
    else open.push(f);
  }
  return { open, acknowledged, unused, problems };
}
