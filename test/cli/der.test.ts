import fc from 'fast-check';
import {
  bitString,
  boolean,
  encodeLength,
  explicit,
  generalizedTime,
  integer,
  namedBits,
  nullValue,
  octetString,
  oid,
  printableString,
  sequence,
  set,
  TAG,
  toPem,
  utcTime,
  utf8String,
  x509Time,
} from '../../cli/der';
import { children, readOne } from './der-reader';

const hex = (b: Buffer): string => b.toString('hex');

describe('DER lengths', () => {
  it.each<[number, string]>([
    [0, '00'],
    [1, '01'],
    [127, '7f'],
    [128, '8180'],
    [255, '81ff'],
    [256, '820100'],
    [65535, '82ffff'],
    [65536, '83010000'],
  ])('length %d encodes as %s (short form below 128, minimal long form from 128)', (length, expected) => {
    expect(hex(encodeLength(length))).toBe(expected);
  });

  it('GIVEN 200 content bytes THEN the header uses the one-byte long form 0x81', () => {
    const der = octetString(Buffer.alloc(200, 7));
    expect(hex(der.subarray(0, 3))).toBe('0481c8');
    expect(der.length).toBe(203);
  });

  it('GIVEN 300 content bytes THEN the header uses the two-byte long form 0x82', () => {
    const der = octetString(Buffer.alloc(300, 7));
    expect(hex(der.subarray(0, 4))).toBe('0482012c');
    expect(der.length).toBe(304);
  });

  it('a SEQUENCE of 256+ bytes of children carries the long-form length of their total', () => {
    const der = sequence(octetString(Buffer.alloc(150)), octetString(Buffer.alloc(150)));
    expect(hex(der.subarray(0, 4))).toBe('30820132'); // 2 * (3 + 150) = 306 = 0x132
    expect(children(readOne(der))).toHaveLength(2);
  });

  it('every content length round-trips through a reader that rejects non-minimal lengths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70_000 }), (n) => {
        const content = Buffer.alloc(n, 0xab);
        const tlv = readOne(octetString(content));
        return tlv.tag === TAG.OCTET_STRING && tlv.content.equals(content);
      }),
      { numRuns: 200 },
    );
  });

  it('fails when a length is negative or not an integer', () => {
    expect(() => encodeLength(-1)).toThrow(RangeError);
    expect(() => encodeLength(1.5)).toThrow(RangeError);
  });
});

describe('INTEGER', () => {
  it.each<[bigint | number, string]>([
    [0, '020100'],
    [2, '020102'],
    [127, '02017f'],
    [128, '02020080'],
    [255, '020200ff'],
    [256, '02020100'],
    [0x7fffn, '02027fff'],
    [0x8000n, '0203008000'],
  ])('%s encodes minimally as %s', (value, expected) => {
    expect(hex(integer(value))).toBe(expected);
  });

  it('GIVEN bytes whose high bit is set THEN a 0x00 prefix keeps the value positive', () => {
    expect(hex(integer(Buffer.from([0x80, 0x01])))).toBe('0203008001');
    expect(hex(integer(Buffer.from([0xff])))).toBe('020200ff');
  });

  it('GIVEN bytes with leading zeros THEN they are dropped (minimal encoding)', () => {
    expect(hex(integer(Buffer.from([0x00, 0x00, 0x05])))).toBe('020105');
    expect(hex(integer(Buffer.from([0x00, 0x80])))).toBe('02020080');
    expect(hex(integer(Buffer.from([])))).toBe('020100');
  });

  it('any non-negative value reads back as the same positive two’s-complement number, minimally encoded', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 300n) - 1n }), (n) => {
        const { content } = readOne(integer(n));
        const positive = (content[0]! & 0x80) === 0;
        const minimal = content.length === 1 || !(content[0] === 0 && (content[1]! & 0x80) === 0);
        return positive && minimal && BigInt(`0x${content.toString('hex')}`) === n;
      }),
    );
  });

  it('fails when the value is negative', () => {
    expect(() => integer(-1)).toThrow(/non-negative/);
  });
});

describe('OBJECT IDENTIFIER', () => {
  it.each<[string, string]>([
    ['2.5.4.3', '0603550403'],
    ['2.5.29.19', '0603551d13'],
    ['1.2.840.113549.1.1.11', '06092a864886f70d01010b'],
    ['1.2.840.113549.1.1.1', '06092a864886f70d010101'],
  ])('%s encodes as %s', (dotted, expected) => {
    expect(hex(oid(dotted))).toBe(expected);
  });

  it.each(['', '1', '3.1', '1.40', '1.2.x', '1..2', '1.02'])('fails when the text is "%s"', (bad) => {
    expect(() => oid(bad)).toThrow(RangeError);
  });
});

describe('BIT STRING', () => {
  it('carries the unused-bit count before the bytes', () => {
    expect(hex(bitString(Buffer.from([0xde, 0xad])))).toBe('030300dead');
  });

  it('GIVEN keyUsage digitalSignature (0) + keyEncipherment (2) THEN 5 unused bits and 0xa0', () => {
    expect(hex(namedBits([0, 2]))).toBe('030205a0');
  });

  it('drops trailing zero bits and grows to a second byte only when bit 8+ is set', () => {
    expect(hex(namedBits([0]))).toBe('03020780');
    expect(hex(namedBits([7]))).toBe('03020001');
    expect(hex(namedBits([8]))).toBe('0303070080');
    expect(hex(namedBits([]))).toBe('030100');
  });

  it('fails when unused bits are not zero or out of range', () => {
    expect(() => bitString(Buffer.from([0x01]), 1)).toThrow(/must be zero/);
    expect(() => bitString(Buffer.from([0x00]), 8)).toThrow(RangeError);
    expect(() => bitString(Buffer.alloc(0), 3)).toThrow(RangeError);
  });
});

describe('simple types', () => {
  it('BOOLEAN TRUE is 0xff, NULL is empty', () => {
    expect(hex(boolean(true))).toBe('0101ff');
    expect(hex(boolean(false))).toBe('010100');
    expect(hex(nullValue())).toBe('0500');
  });

  it('UTF8String holds any text as UTF-8 bytes', () => {
    expect(hex(utf8String('ü/a'))).toBe(`0c04${Buffer.from('ü/a').toString('hex')}`);
  });

  it('PrintableString holds its restricted alphabet and refuses other characters', () => {
    expect(hex(printableString('DE'))).toBe('13024445');
    expect(() => printableString('a@b')).toThrow(/utf8String/);
    expect(() => printableString('a_b')).toThrow(RangeError);
  });

  it('explicit [n] wraps the whole inner encoding in a constructed context tag', () => {
    expect(hex(explicit(0, integer(2)))).toBe('a003020102');
    expect(explicit(3, sequence())[0]).toBe(0xa3);
    expect(() => explicit(31, nullValue())).toThrow(RangeError);
  });
});

describe('SET OF', () => {
  it('sorts its items by encoding, so the order given does not matter', () => {
    const a = utf8String('a');
    const b = utf8String('b');
    expect(set(b, a)).toEqual(set(a, b));
    expect(hex(set(b, a))).toBe(`3106${hex(a)}${hex(b)}`);
  });

  it('sorts by the whole encoding, length octets included, not by content alone', () => {
    const twoBytes = octetString(Buffer.from([0x01, 0x02])); // 04 02 01 02
    const oneByte = octetString(Buffer.from([0x05])); // 04 01 05
    expect(hex(set(twoBytes, oneByte))).toBe(`3107${hex(oneByte)}${hex(twoBytes)}`);
  });
});

describe('times (RFC 5280 4.1.2.5)', () => {
  it('GIVEN 2049 THEN UTCTime YYMMDDHHMMSSZ', () => {
    const der = x509Time(new Date('2049-12-31T23:59:59.999Z'));
    expect(der[0]).toBe(TAG.UTC_TIME);
    expect(readOne(der).content.toString('ascii')).toBe('491231235959Z');
  });

  it('GIVEN 2050 THEN GeneralizedTime YYYYMMDDHHMMSSZ', () => {
    const der = x509Time(new Date('2050-01-01T00:00:00Z'));
    expect(der[0]).toBe(TAG.GENERALIZED_TIME);
    expect(readOne(der).content.toString('ascii')).toBe('20500101000000Z');
  });

  it('GIVEN 1950 THEN UTCTime with year 50 (which reads back as 1950, not 2050)', () => {
    expect(readOne(x509Time(new Date('1950-06-01T12:00:00Z'))).content.toString('ascii')).toBe('500601120000Z');
  });

  it('drops milliseconds and writes UTC, whatever the local time zone', () => {
    expect(readOne(utcTime(new Date('2030-02-03T04:05:06.789+02:00'))).content.toString('ascii')).toBe('300203020506Z');
  });

  it('fails when UTCTime is asked for a year outside 1950..2049, or the date is invalid', () => {
    expect(() => utcTime(new Date('2050-01-01T00:00:00Z'))).toThrow(/generalizedTime/);
    expect(() => utcTime(new Date('1949-12-31T23:59:59Z'))).toThrow(RangeError);
    expect(() => generalizedTime(new Date('invalid'))).toThrow(/invalid date/);
  });
});

describe('PEM', () => {
  it('wraps base64 at 64 characters between BEGIN and END lines', () => {
    const pem = toPem('CERTIFICATE', Buffer.alloc(100, 1));
    const lines = pem.trimEnd().split('\n');
    expect(lines[0]).toBe('-----BEGIN CERTIFICATE-----');
    expect(lines.at(-1)).toBe('-----END CERTIFICATE-----');
    expect(lines.slice(1, -1).map((l) => l.length)).toEqual([64, 64, 8]);
    expect(pem.endsWith('\n')).toBe(true);
  });
});
