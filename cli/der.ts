/**
 * A small ASN.1 DER encoder: exactly the types an X.509 v3 certificate needs, nothing to decode.
 * Every function returns the complete encoding (tag, length, content) of one value, so values
 * compose by nesting calls: `sequence(integer(2n), oid('2.5.4.3'))`.
 *
 * DER is the one canonical encoding of BER (X.690 section 10): minimal lengths, minimal integers,
 * sorted SET OF, defaults omitted. A signature covers these exact bytes, so any non-canonical
 * encoding would make a certificate that strict parsers reject.
 */

/** Universal tag numbers used here (X.680 section 8.4), already combined with the constructed bit. */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OBJECT_IDENTIFIER: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/**
 * The length octets: short form (one byte) below 128, else long form `0x80 | n` followed by the n
 * big-endian bytes of the length with no leading zero byte (X.690 8.1.3, 10.1).
 */
export function encodeLength(length: number): Buffer {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`DER length must be a non-negative integer, got ${length}`);
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** One value: tag byte, length octets, content. Tags here are all low-numbered (< 31), one byte. */
export function tlv(tag: number, content: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([tag]), encodeLength(content.length), content]);
}

/** SEQUENCE / SEQUENCE OF: the items in the given order. */
export function sequence(...items: readonly Uint8Array[]): Buffer {
  return tlv(TAG.SEQUENCE, Buffer.concat(items));
}

/**
 * SET OF: DER requires the encoded items sorted as octet strings, the shorter one padded with
 * zero bytes at the end (X.690 11.6), so the same set always encodes to the same bytes.
 */
export function set(...items: readonly Uint8Array[]): Buffer {
  const sorted = [...items].map((i) => Buffer.from(i)).sort(compareZeroPadded);
  return tlv(TAG.SET, Buffer.concat(sorted));
}

function compareZeroPadded(a: Buffer, b: Buffer): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** BOOLEAN: DER allows only 0xff for TRUE (X.690 11.1). */
export function boolean(value: boolean): Buffer {
  return tlv(TAG.BOOLEAN, Buffer.from([value ? 0xff : 0x00]));
}

/** NULL: empty content, e.g. the parameters of sha256WithRSAEncryption (RFC 4055 section 5). */
export function nullValue(): Buffer {
  return tlv(TAG.NULL, Buffer.alloc(0));
}

/**
 * INTEGER from a non-negative bigint or from unsigned big-endian bytes. Encoded minimally: leading
 * zero bytes dropped, and one 0x00 put back when the first byte has its high bit set, since the
 * content is two's complement and would otherwise read as negative (X.690 8.3.2). Negative values
 * are refused: nothing in a certificate needs them (serials and versions are non-negative).
 */
export function integer(value: bigint | number | Uint8Array): Buffer {
  return tlv(TAG.INTEGER, integerContent(value));
}

function integerContent(value: bigint | number | Uint8Array): Buffer {
  let bytes: Buffer;
  if (value instanceof Uint8Array) {
    bytes = Buffer.from(value);
  } else {
    const n = BigInt(value);
    if (n < 0n) throw new RangeError(`integer() encodes non-negative values only, got ${n}`);
    const hex = n.toString(16);
    bytes = Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex');
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const minimal = bytes.subarray(start);
  if (minimal.length === 0) return Buffer.from([0]);
  return (minimal[0]! & 0x80) !== 0 ? Buffer.concat([Buffer.from([0]), minimal]) : Buffer.from(minimal);
}

/**
 * OBJECT IDENTIFIER from dotted text: the first two arcs combine as 40 * a + b, each arc in base
 * 128 with the high bit set on all but its last byte (X.690 8.19).
 */
export function oid(dotted: string): Buffer {
  if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(dotted)) throw new RangeError(`not a dotted object identifier: "${dotted}"`);
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const [first, second, ...rest] = arcs as [bigint, bigint, ...bigint[]];
  if (first < 2n && second >= 40n) throw new RangeError(`second arc of "${dotted}" must be below 40 under arc ${first}`);
  const body = [first * 40n + second, ...rest].flatMap(base128);
  return tlv(TAG.OBJECT_IDENTIFIER, Buffer.from(body));
}

function base128(arc: bigint): number[] {
  const out = [Number(arc & 0x7fn)];
  for (let rest = arc >> 7n; rest > 0n; rest >>= 7n) out.unshift(Number(rest & 0x7fn) | 0x80);
  return out;
}

/**
 * BIT STRING: one leading byte counting the unused bits at the end of the last byte, then the bytes.
 * The unused bits must be zero in DER (X.690 11.2.1).
 */
export function bitString(bytes: Uint8Array, unusedBits = 0): Buffer {
  if (!Number.isInteger(unusedBits) || unusedBits < 0 || unusedBits > 7) throw new RangeError(`unused bits must be 0..7, got ${unusedBits}`);
  if (bytes.length === 0 && unusedBits !== 0) throw new RangeError('an empty BIT STRING has no unused bits');
  const last = bytes[bytes.length - 1] ?? 0;
  if ((last & ((1 << unusedBits) - 1)) !== 0) throw new RangeError('the unused bits of a DER BIT STRING must be zero');
  return tlv(TAG.BIT_STRING, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/**
 * BIT STRING of named bits (bit 0 is the most significant bit of the first byte), such as
 * KeyUsage. DER drops trailing zero bits (X.690 11.2.2), so the length depends on the highest bit set.
 */
export function namedBits(bitNumbers: readonly number[]): Buffer {
  if (bitNumbers.length === 0) return bitString(new Uint8Array(0));
  const highest = Math.max(...bitNumbers);
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1);
  for (const bit of bitNumbers) {
    if (!Number.isInteger(bit) || bit < 0) throw new RangeError(`named bit must be a non-negative integer, got ${bit}`);
    bytes[Math.floor(bit / 8)]! |= 0x80 >> bit % 8;
  }
  return bitString(bytes, 7 - (highest % 8));
}

/** OCTET STRING: the bytes as they are (e.g. an extension's DER-encoded value). */
export function octetString(bytes: Uint8Array): Buffer {
  return tlv(TAG.OCTET_STRING, bytes);
}

/** UTF8String: any Unicode text; what RFC 5280 asks for in names of new certificates. */
export function utf8String(text: string): Buffer {
  return tlv(TAG.UTF8_STRING, Buffer.from(text, 'utf8'));
}

const PRINTABLE = /^[A-Za-z0-9 '()+,\-./:=?]*$/;

/** PrintableString: only letters, digits, space and `'()+,-./:=?` (X.680 41.4); others are refused. */
export function printableString(text: string): Buffer {
  if (!PRINTABLE.test(text)) throw new RangeError(`"${text}" has characters a PrintableString cannot hold; use utf8String`);
  return tlv(TAG.PRINTABLE_STRING, Buffer.from(text, 'ascii'));
}

/** UTCTime `YYMMDDHHMMSSZ`, whole seconds in UTC (DER form, X.690 11.8); years 1950..2049 only. */
export function utcTime(date: Date): Buffer {
  const year = checkedYear(date);
  if (year < 1950 || year > 2049) throw new RangeError(`UTCTime holds years 1950..2049 only, got ${year}; use generalizedTime`);
  return tlv(TAG.UTC_TIME, Buffer.from(timeDigits(date).slice(2), 'ascii'));
}

/** GeneralizedTime `YYYYMMDDHHMMSSZ`, whole seconds in UTC with no fraction (RFC 5280 4.1.2.5.2). */
export function generalizedTime(date: Date): Buffer {
  const year = checkedYear(date);
  if (year < 0 || year > 9999) throw new RangeError(`GeneralizedTime holds years 0..9999 only, got ${year}`);
  return tlv(TAG.GENERALIZED_TIME, Buffer.from(timeDigits(date), 'ascii'));
}

/**
 * A certificate validity time per RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from
 * 2050 on. Milliseconds are dropped (truncated), as both forms carry whole seconds.
 */
export function x509Time(date: Date): Buffer {
  return checkedYear(date) < 2050 ? utcTime(date) : generalizedTime(date);
}

function checkedYear(date: Date): number {
  if (Number.isNaN(date.getTime())) throw new RangeError('invalid date');
  return date.getUTCFullYear();
}

/** `YYYYMMDDHHMMSSZ` in UTC. */
function timeDigits(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    String(date.getUTCFullYear()).padStart(4, '0') +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    'Z'
  );
}

/**
 * An EXPLICIT context-specific tag `[n]`: constructed, wrapping the complete inner encoding
 * (e.g. the certificate version `[0]` and extensions `[3]`).
 */
export function explicit(tagNumber: number, inner: Uint8Array): Buffer {
  if (!Number.isInteger(tagNumber) || tagNumber < 0 || tagNumber > 30) throw new RangeError(`context tag must be 0..30, got ${tagNumber}`);
  return tlv(0xa0 | tagNumber, inner);
}

/** PEM armour: base64 in 64-character lines between BEGIN/END lines (RFC 7468). */
export function toPem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`, ''].join('\n');
}
