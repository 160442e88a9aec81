/**
 * Security-group rules in one shape, whichever way Terraform declares them: inline `ingress` /
 * `egress` blocks of `aws_security_group`, `aws_security_group_rule`, or the per-rule resources
 * `aws_vpc_security_group_ingress_rule` / `aws_vpc_security_group_egress_rule`.
 */
import { asReference, blocks, isExpression, readNumber, show, strings } from '../../../core/rules/expressions';
import type { JsonObject, TerraformResourceView } from '../../../core/rules/synthesized-config';

export interface SecurityGroupRule {
  readonly direction: 'ingress' | 'egress';
  /** `all`, `tcp`, `udp`, `icmp`, ... or the expression text. */
  readonly protocol: string;
  /** `all`, `443`, `1024-65535`, or `?` when a port is an expression. */
  readonly ports: string;
  /** Literal single port when from = to; undefined otherwise. */
  readonly port?: number;
  /** CIDR blocks (IPv4 and IPv6), literals or expressions. */
  readonly cidrs: readonly string[];
  /** Security groups, prefix lists or `self`: peers inside the network. */
  readonly peers: readonly string[];
  /** `Ingress::tcp:443` / `Egress::all:all`: the finding key. */
  readonly key: string;
}

const PROTOCOL_NAMES: Readonly<Record<string, string>> = { '-1': 'all', all: 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };

function protocolOf(v: unknown): string {
  const text = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.toLowerCase() : 'all';
  return PROTOCOL_NAMES[text] ?? text;
}

function make(direction: 'ingress' | 'egress', protocolValue: unknown, from: unknown, to: unknown, cidrs: string[], peers: string[]): SecurityGroupRule {
  const protocol = protocolOf(protocolValue);
  const f = readNumber(from);
  const t = readNumber(to);
  let ports: string;
  let port: number | undefined;
  if (protocol === 'all') ports = 'all';
  else if (f.kind !== 'literal' || t.kind !== 'literal') ports = '?';
  else if (f.value === t.value) {
    ports = String(f.value);
    port = f.value;
  } else ports = `${f.value}-${t.value}`;
  const prefix = direction === 'ingress' ? 'Ingress' : 'Egress';
  return { direction, protocol, ports, ...(port !== undefined ? { port } : {}), cidrs, peers, key: `${prefix}::${protocol}:${ports}` };
}

function fromInlineBlock(direction: 'ingress' | 'egress', b: JsonObject): SecurityGroupRule {
  const peers = [...strings(b.security_groups), ...strings(b.prefix_list_ids), ...(b.self === true ? ['self'] : [])];
  return make(direction, b.protocol, b.from_port, b.to_port, [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)], peers);
}

/** Types that declare security-group rules. */
export const SECURITY_GROUP_RULE_TYPES = [
  'aws_security_group',
  'aws_security_group_rule',
  'aws_vpc_security_group_ingress_rule',
  'aws_vpc_security_group_egress_rule',
] as const;

/** The rules a resource declares (none for other types). */
export function rulesDeclaredBy(resource: TerraformResourceView): SecurityGroupRule[] {
  const b = resource.body;
  switch (resource.type) {
    case 'aws_security_group':
    case 'aws_default_security_group':
      return [...blocks(b.ingress).map((x) => fromInlineBlock('ingress', x)), ...blocks(b.egress).map((x) => fromInlineBlock('egress', x))];
    case 'aws_security_group_rule': {
      const direction = b.type === 'egress' ? 'egress' : 'ingress';
      const peers = [...strings(b.source_security_group_id), ...strings(b.prefix_list_ids), ...(b.self === true ? ['self'] : [])];
      return [make(direction, b.protocol, b.from_port, b.to_port, [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)], peers)];
    }
    case 'aws_vpc_security_group_ingress_rule':
    case 'aws_vpc_security_group_egress_rule': {
      const direction = resource.type.endsWith('ingress_rule') ? 'ingress' : 'egress';
      const peers = [...strings(b.referenced_security_group_id), ...strings(b.prefix_list_id)];
      return [make(direction, b.ip_protocol, b.from_port, b.to_port, [...strings(b.cidr_ipv4), ...strings(b.cidr_ipv6)], peers)];
    }
    default:
      return [];
  }
}

export const WORLD_CIDRS = ['0.0.0.0/0', '::/0'];

/** RFC 1918, carrier-grade NAT and IPv6 unique-local ranges. */
function isPrivateCidr(cidr: string): boolean {
  const v6 = /^f[cd][0-9a-f]{0,2}:/i.test(cidr);
  const m = /^(\d+)\.(\d+)\.\d+\.\d+\/(\d+)$/.exec(cidr);
  if (!m) return v6;
  const [a, b, bits] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return (a === 10 && bits >= 8) || (a === 172 && b >= 16 && b <= 31 && bits >= 12) || (a === 192 && b === 168 && bits >= 16) || (a === 100 && b >= 64 && b <= 127 && bits >= 10);
}

/**
 * Where a CIDR points: `internal` (a private range, or a reference to a VPC's or subnet's
 * cidr_block), `world` (0.0.0.0/0, ::/0), `public` (another public range), or `unknown` (an
 * expression the pack cannot place).
 */
export function classifyCidr(cidr: string): 'internal' | 'world' | 'public' | 'unknown' {
  if (isExpression(cidr)) {
    const ref = asReference(cidr);
    return ref && /^aws_(vpc|subnet|vpc_ipv4_cidr_block_association)\./.test(ref.address) && /cidr_block$/.test(ref.attribute) ? 'internal' : 'unknown';
  }
  if (WORLD_CIDRS.includes(cidr)) return 'world';
  return isPrivateCidr(cidr) ? 'internal' : 'public';
}

/** `tcp 443 to "0.0.0.0/0"`, for messages. */
export function describeRule(r: SecurityGroupRule): string {
  const where = [...r.cidrs, ...r.peers].map((x) => show(x)).join(', ') || 'nowhere';
  return `${r.direction} ${r.protocol === 'all' ? 'all protocols' : r.protocol} ${r.ports === 'all' ? 'all ports' : `port ${r.ports}`} ${r.direction === 'ingress' ? 'from' : 'to'} ${where}`;
}
