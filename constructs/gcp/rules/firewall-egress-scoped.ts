/** GCP-NET-5 (kit-only, after CKV_AWS_382): egress allows apply to tagged workloads only, on listed TCP ports. */
import { blocks, strings } from '../../core/rules/expressions';
import { fromFindings, notApplicable, type Finding, type Rule } from '../../core/rules/rule';

export const FIREWALL_EGRESS_SCOPED: Rule = {
  id: 'GCP-NET-5',
  title: 'Egress allow rules name their workloads (network tags) and TCP ports',
  why: 'An egress allow without target tags applies to everything in the network; together with a deny-all at the lowest priority, tags keep each workload to what it needs.',
  fix: 'Set target_tags to the runner or updater tag and allow tcp with explicit ports.',
  publicIds: [],
  appliesTo: ['google_compute_firewall'],
  check: (fw) => {
    if (String(fw.body.direction ?? 'INGRESS') !== 'EGRESS' || blocks(fw.body.allow).length === 0) return notApplicable('not an egress allow rule');
    const findings: Finding[] = [];
    if (strings(fw.body.target_tags).length === 0 && strings(fw.body.target_service_accounts).length === 0) findings.push({ key: 'Targets', message: 'the egress allow applies to every instance of the network (no target tags or service accounts)' });
    for (const [i, allow] of blocks(fw.body.allow).entries()) if (allow.protocol !== 'tcp') findings.push({ key: `Allow::${i}`, message: `allows protocol ${String(allow.protocol)}` });
    return fromFindings(findings);
  },
};
