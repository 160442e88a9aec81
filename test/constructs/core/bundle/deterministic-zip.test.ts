import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { crc32, deterministicZip } from '../../../../constructs/core/bundle/deterministic-zip';

describe('deterministicZip', () => {
  const entries = [
    { name: 'index.js', content: Buffer.from('exports.handler = async () => 42;\n') },
    { name: 'lib/a.txt', content: Buffer.from('a'.repeat(1000)) },
  ];

  it('gives identical bytes for identical input, whatever the entry order', () => {
    expect(deterministicZip(entries).equals(deterministicZip([...entries].reverse()))).toBe(true);
  });

  it('changes when a byte of content changes', () => {
    const other = [entries[0]!, { name: 'lib/a.txt', content: Buffer.from(`${'a'.repeat(999)}b`) }];
    expect(deterministicZip(entries).equals(deterministicZip(other))).toBe(false);
  });

  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789')).toString(16)).toBe('cbf43926');
  });

  it('is a valid archive that a real unzip reads back exactly (Python zipfile)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zip-'));
    try {
      const file = path.join(dir, 'a.zip');
      writeFileSync(file, deterministicZip(entries));
      const out = execFileSync('python3', [
        '-c',
        'import sys,zipfile,json; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print(json.dumps({i.filename:[z.read(i).decode(), i.date_time[0], oct(i.external_attr>>16)] for i in z.infolist()}))',
        file,
      ]).toString();
      expect(JSON.parse(out)).toEqual({
        'index.js': [entries[0]!.content.toString(), 1980, '0o100644'],
        'lib/a.txt': [entries[1]!.content.toString(), 1980, '0o100644'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([['../evil.js'], ['/abs.js'], [''], ['a\\b.js']])('fails on the unsafe name %j', (name) => {
    expect(() => deterministicZip([{ name, content: Buffer.from('x') }])).toThrow('must be a relative /-separated path');
  });

  it('fails on a duplicate name', () => {
    expect(() => deterministicZip([entries[0]!, entries[0]!])).toThrow('appears twice');
  });
});
