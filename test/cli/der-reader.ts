/**
 * A minimal DER reader for tests: walks tag-length-value triples so tests can check what the
 * encoder wrote (lengths, nesting, extension bytes) independently of the encoder itself.
 */

export interface Tlv {
  readonly tag: number;
  /** Bytes of tag + length octets. */
  readonly headerLength: number;
  readonly content: Buffer;
  /** Offset just after this value in the buffer it was read from. */
  readonly end: number;
}

/** Reads one value at `offset`; throws on truncated input or a non-minimal long-form length. */
export function readTlv(buffer: Buffer, offset = 0): Tlv {
  const tag = buffer[offset]!;
  const first = buffer[offset + 1]!;
  let length = first;
  let headerLength = 2;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n === 0 || n > 4) throw new Error(`unsupported length form 0x${first.toString(16)}`);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + buffer[offset + 2 + i]!;
    if (length < 0x80 || buffer[offset + 2] === 0) throw new Error('non-minimal DER length');
    headerLength += n;
  }
  const start = offset + headerLength;
  if (start + length > buffer.length) throw new Error('truncated DER value');
  return { tag, headerLength, content: buffer.subarray(start, start + length), end: start + length };
}

/** The values inside a constructed value (SEQUENCE, SET, explicit tag). */
export function children(parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < parent.content.length; ) {
    const child = readTlv(parent.content, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** Reads a whole buffer as exactly one value (no trailing bytes). */
export function readOne(buffer: Buffer): Tlv {
  const tlv = readTlv(buffer);
  if (tlv.end !== buffer.length) throw new Error(`${buffer.length - tlv.end} trailing bytes`);
  return tlv;
}

/** Universal tags the certificate tests look for. */
export const TAG = { BOOLEAN: 0x01, UTC_TIME: 0x17, GENERALIZED_TIME: 0x18 } as const;

/** The DER encoding of an OBJECT IDENTIFIER (X.690 8.19), to find extensions by their id bytes. */
export function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const arcs = [a! * 40 + b!, ...rest];
  const content: number[] = [];
  for (const arc of arcs) {
    const bytes = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) bytes.unshift(0x80 | (v & 0x7f));
    content.push(...bytes);
  }
  return Buffer.from([0x06, content.length, ...content]);
}
