/** GCP-NET-4 (kit-only, stricter than CKV_GCP_2/3): no firewall rule allows ingress. */
import { blocks } from '../../core/rules/expressions';
import { compliant, nonCompliant, notApplicable, type Rule } from '../../core/rules/rule';

export const FIREWALL_NO_INGRESS: Rule = {
  id: 'GCP-NET-4',
  title: 'No ingress is allowed into the runner network',
  why: 'The runners poll outbound; any inbound path is attack surface the design does not need.',
  fix: 'Remove the ingress allow rule; GCP denies ingress by default.',
  publicIds: [],
  appliesTo: ['google_compute_firewall'],
  check: (fw) => {
    if (String(fw.body.direction ?? 'INGRESS') !== 'INGRESS') return notApplicable('an egress rule');
    return blocks(fw.body.allow).length === 0 ? compliant() : nonCompliant('an INGRESS rule with an allow block');
  },
};
