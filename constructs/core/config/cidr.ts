/** IPv4 CIDR arithmetic for config validation and subnet planning. Pure, no tokens. */

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/n". Returns an error sentence instead of throwing. */
export function parseCidr(text: string): Ipv4Cidr | { readonly error: string } {
  const m = CIDR_RE.exec(text);
  if (!m) return { error: 'is not an IPv4 CIDR block (expected a.b.c.d/n)' };
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255)) return { error: 'has an octet above 255' };
  if (prefix > 32) return { error: 'has a prefix length above 32' };
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const network = prefix === 0 ? 0 : address - (address % 2 ** (32 - prefix));
  if (network !== address) {
    return { error: `has host bits set; the network address is ${formatCidr({ network, prefix })}` };
  }
  return { network, prefix };
}

export function formatCidr(c: Ipv4Cidr): string {
  const o = [24, 16, 8, 0].map((shift) => Math.floor(c.network / 2 ** shift) % 256);
  return `${o.join('.')}/${c.prefix}`;
}

/** True when the block lies inside one of RFC 1918's private ranges or the RFC 6598 shared range. */
export function isPrivateRange(c: Ipv4Cidr): boolean {
  return PRIVATE_RANGES.some((r) => c.prefix >= r.prefix && contains(r, c.network));
}

const PRIVATE_RANGES: readonly Ipv4Cidr[] = [
  { network: 10 * 2 ** 24, prefix: 8 },
  { network: 172 * 2 ** 24 + 16 * 2 ** 16, prefix: 12 },
  { network: 192 * 2 ** 24 + 168 * 2 ** 16, prefix: 16 },
  { network: 100 * 2 ** 24 + 64 * 2 ** 16, prefix: 10 },
];

function contains(range: Ipv4Cidr, address: number): boolean {
  const size = 2 ** (32 - range.prefix);
  return address >= range.network && address < range.network + size;
}

/**
 * Splits a block into `count` equal subnets (count rounded up to a power of two) and returns the
 * first `count`. Used for one private and one public subnet per zone.
 */
export function splitCidr(c: Ipv4Cidr, count: number): Ipv4Cidr[] {
  const extraBits = Math.ceil(Math.log2(count));
  const prefix = c.prefix + extraBits;
  const size = 2 ** (32 - prefix);
  return Array.from({ length: count }, (_, i) => ({ network: c.network + i * size, prefix }));
}

/** Extra prefix bits needed to cut `count` equal subnets out of a block. */
export function subnetBits(count: number): number {
  return Math.ceil(Math.log2(count));
}
