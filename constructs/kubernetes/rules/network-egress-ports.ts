/**
 * K8S-NET-2 (kit-only): pods may reach only DNS (53, inside the cluster) and HTTPS (TCP 443).
 *
 * Judged per namespace over all its NetworkPolicies, so one port opened for several pods is one
 * finding, `Egress::<protocol>:<port>` (e.g. `Egress::tcp:22`): a port the configuration opted
 * into (`network.egressExtraPorts`) is acknowledged once for the namespace, as AWS-SG-3 does for
 * security groups. A NetworkPolicy in a namespace this stack does not create is judged on its own.
 */
import { block, blocks, isExpression, readNumber, show } from '../../core/rules/expressions';
import { fromFindings, notApplicable, type Rule } from '../../core/rules/rule';
import type { JsonObject, TerraformResourceView } from '../../core/rules/synthesized-config';
import { displayName, NAMESPACE_TYPES, namespaceOf, NETWORK_POLICY_TYPES, objectsIn } from './support/namespaces';

export const HTTPS_PORT = 443;
export const DNS_PORT = 53;

/** Whether every peer of an egress rule is in the cluster (pod / namespace selectors, no ip_block); no peer = anywhere. */
function inClusterOnly(rule: JsonObject): boolean {
  if (isExpression(rule.to)) return false;
  const peers = blocks(rule.to);
  return peers.length > 0 && peers.every((p) => p.ip_block === undefined && (p.namespace_selector !== undefined || p.pod_selector !== undefined));
}

/** Key -> what is allowed, for every egress a policy allows beyond DNS in the cluster and TCP 443. */
function disallowedEgress(policy: TerraformResourceView): Map<string, string> {
  const out = new Map<string, string>();
  const spec = block(policy.body.spec);
  if (!spec) return out;
  if (isExpression(spec.egress)) {
    out.set('Egress::expression', 'egress rules given as a Terraform expression, which cannot be checked at synthesis');
    return out;
  }
  for (const rule of blocks(spec.egress)) {
    if (isExpression(rule.ports)) {
      out.set('Egress::expression', 'ports given as a Terraform expression, which cannot be checked at synthesis');
      continue;
    }
    const ports = blocks(rule.ports);
    if (ports.length === 0) {
      out.set('Egress::all', 'egress on every protocol and port');
      continue;
    }
    for (const p of ports) {
      const raw = p.protocol;
      const protocol = raw === undefined || raw === null ? 'TCP' : typeof raw === 'string' && !isExpression(raw) ? (raw as string).toUpperCase() : '?';
      const proto = protocol.toLowerCase();
      const port = readNumber(p.port);
      if (p.end_port !== undefined) {
        out.set(`Egress::${proto}:${show(p.port).replace(/"/g, '')}-${show(p.end_port).replace(/"/g, '')}`, `egress on the ${protocol} port range ${show(p.port)}-${show(p.end_port)}`);
      } else if (port.kind === 'absent') {
        out.set(`Egress::${proto}:all`, `egress on every ${protocol} port`);
      } else if (port.kind === 'expression') {
        out.set(`Egress::${proto}:expression`, `egress on a ${protocol} port given as the Terraform expression ${show(port.text)}, which cannot be checked at synthesis`);
      } else if (port.kind === 'invalid') {
        out.set(`Egress::${proto}:${String(port.value)}`, `egress on the named ${protocol} port ${show(port.value)}, which the pack cannot resolve`);
      } else if (port.value === HTTPS_PORT && protocol === 'TCP') {
        continue;
      } else if (port.value === DNS_PORT && (protocol === 'UDP' || protocol === 'TCP')) {
        if (!inClusterOnly(rule)) out.set(`Egress::${proto}:${DNS_PORT}`, `DNS (${protocol} 53) to destinations outside the cluster (an ip_block or any destination), not only to the cluster DNS`);
      } else {
        out.set(`Egress::${proto}:${port.value}`, `egress on ${protocol} ${port.value}`);
      }
    }
  }
  return out;
}

function judge(policies: readonly TerraformResourceView[]) {
  const byKey = new Map<string, { readonly what: string; readonly policies: string[] }>();
  for (const policy of policies) {
    for (const [key, what] of disallowedEgress(policy)) {
      const entry = byKey.get(key) ?? { what, policies: [] };
      entry.policies.push(displayName(policy));
      byKey.set(key, entry);
    }
  }
  return fromFindings([...byKey].map(([key, e]) => ({ key, message: `NetworkPolicy ${e.policies.join(', ')} allow${e.policies.length === 1 ? 's' : ''} ${e.what}` })));
}

export const NETWORK_EGRESS_PORTS: Rule = {
  id: 'K8S-NET-2',
  title: 'Egress only to DNS in the cluster and TCP 443 (other ports opt-in)',
  why: 'Every open egress port is a way for a compromised run to tunnel data out or reach services it has no business with; the runner needs HTTPS (meshStack API, registries, git, cloud APIs) and the cluster DNS only.',
  fix: 'Limit NetworkPolicy egress to TCP 443 and to port 53 towards the cluster DNS (namespace or pod selector). For another port the configuration opted in (network.egressExtraPorts) or a named node-local agent, acknowledge Egress::<protocol>:<port> with the reason.',
  publicIds: [],
  appliesTo: [...NAMESPACE_TYPES, ...NETWORK_POLICY_TYPES],
  check: (resource, config) => {
    if (NETWORK_POLICY_TYPES.includes(resource.type)) {
      const ns = namespaceOf(resource, config);
      if (ns) return notApplicable(`judged with its namespace ${ns.address}`);
      return judge([resource]);
    }
    return judge(objectsIn(resource, config, NETWORK_POLICY_TYPES));
  },
};
