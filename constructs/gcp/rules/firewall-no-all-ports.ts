/** GCP-NET-3 (CKV2_GCP_12): no firewall rule allows every port. */
import { blocks, strings } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const FIREWALL_NO_ALL_PORTS: Rule = {
  id: 'GCP-NET-3',
  title: 'No firewall rule allows all protocols or all ports',
  why: 'An allow rule without ports opens every service in that direction; the runners need TCP 443 (and opted-in ports) only.',
  fix: 'Allow tcp with the exact ports (RunnerNetwork allows 443 plus network.egressExtraPorts).',
  publicIds: ['CKV2_GCP_12'],
  appliesTo: ['google_compute_firewall'],
  check: (fw) => {
    const findings: Finding[] = [];
    for (const [i, allow] of blocks(fw.body.allow).entries()) {
      const protocol = String(allow.protocol ?? '');
      const ports = strings(allow.ports);
      if (protocol === 'all' || protocol === '') findings.push({ key: `Allow::${i}`, message: 'allows every protocol' });
      else if ((protocol === 'tcp' || protocol === 'udp') && (ports.length === 0 || ports.some((p) => p === '0-65535' || p === '1-65535'))) findings.push({ key: `Allow::${i}`, message: `allows ${protocol} on every port` });
    }
    return fromFindings(findings);
  },
};
