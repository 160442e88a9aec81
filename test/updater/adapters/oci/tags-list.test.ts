/**
 * The tag listing with bounded memory (issue 16): a registry on loopback serving one page of 130,000
 * tags (the old `push(...page)` threw "Maximum call stack size exceeded"), and many pages of long
 * tags (the old reader held every page, 725 MB for 50 pages in a 512 MB Lambda), listed in a
 * child process whose heap is far smaller than what it downloads.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type * as http from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UpstreamReleaseSource } from '../../../../updater/adapters/oci/upstream-release-source';
import { OciRegistryClient } from '../../../../updater/adapters/oci';
import { MAX_TAG_LENGTH, TagsListReader } from '../../../../updater/adapters/oci/tags-list';
import { startHttpServer, type LoopbackServer } from '../../../support/oci-registry';

const REPO = 'meshcloud/tf-block-runner';
const FAST = { retryBaseDelayMs: 5 } as const;

/** Reads `text` in the given chunks and returns the tags. */
function read(text: string, cuts: number[] = []): string[] {
  const tags: string[] = [];
  const reader = new TagsListReader('tags list', (t) => tags.push(t));
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    reader.write(text.slice(at, cut));
    at = cut;
  }
  reader.write(text.slice(at));
  reader.end();
  return tags;
}

describe('TagsListReader', () => {
  const tag = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: MAX_TAG_LENGTH });
  const other = fc.jsonValue({ maxDepth: 3 });

  it('GIVEN any tag list split anywhere THEN it reads the tags JSON.parse reads (property)', () => {
    fc.assert(
      fc.property(fc.array(tag, { maxLength: 30 }), other, fc.boolean(), fc.array(fc.nat(), { maxLength: 8 }), (tags, extra, tagsFirst, cuts) => {
        const doc = tagsFirst ? { tags, name: REPO, extra } : { name: REPO, extra, tags };
        const text = JSON.stringify(doc, null, cuts.length % 2 === 0 ? undefined : 2);
        expect(read(text, cuts.map((c) => c % (text.length + 1)))).toEqual(tags);
      }),
      { numRuns: 500 },
    );
  });

  it('reads escapes split across chunks, skips strings longer than any tag, accepts "tags": null', () => {
    expect(read('{"tags": ["a\\u0062c", "d\\"e"]}', [12, 14, 21])).toEqual(['abc', 'd"e']);
    expect(read(JSON.stringify({ tags: ['x'.repeat(MAX_TAG_LENGTH + 1), 'v1.0.0', 'y'.repeat(10_000)] }), [50, 300])).toEqual(['v1.0.0']);
    expect(read('{"name": "r", "tags": null}')).toEqual([]);
    expect(read('{"name": "r"}')).toEqual([]);
  });

  it.each([
    ['["v1"]', /is not an object/],
    ['"v1"', /is not an object/],
    ['{"tags": "v1"}', /"tags" that is not an array/],
    ['{"tags": {"a": "v1"}}', /"tags" that is not an array/],
    ['{"tags": [1]}', /"tags" entry that is not a string/],
    ['{"tags": [["v1"]]}', /"tags" entry that is not a string/],
    ['{"tags": ["v1"]', /ends before the document does/],
    ['{"tags": ["v1"]} {}', /data after the document/],
    ['{"tags": [], "tags": []}', /"tags" twice/],
    ['{"tags": ["a\\x"]}', /invalid escape/],
    ['{"tags": ["a\nb"]}', /control character/],
    ['{"tags": [tru]}', /not valid JSON/],
  ])('GIVEN %s THEN it fails clearly', (text, message) => {
    expect(() => read(text)).toThrow(message);
  });
});

describe('listing tags from a registry that sends too much', () => {
  const servers: LoopbackServer[] = [];
  const serve = async (handler: http.RequestListener) => {
    const s = await startHttpServer(handler);
    servers.push(s);
    return s;
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  it('GIVEN one page of 130,000 tags THEN the release tags among them are listed (no stack overflow)', async () => {
    const releases = Array.from({ length: 1_000 }, (_, i) => `v1.${Math.floor(i / 10)}.${i % 10}`);
    const junk = Array.from({ length: 129_000 }, (_, i) => `sha-${i.toString(16).padStart(12, '0')}`);
    const body = JSON.stringify({ name: REPO, tags: [...junk.slice(0, 64_500), ...releases, ...junk.slice(64_500)] });
    const registry = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    });
    const source = new UpstreamReleaseSource({ registryUrl: registry.url, repository: REPO, clientOptions: FAST });
    expect(await source.listTags()).toEqual(releases);
    // The generic listing keeps every tag up to its cap, and says when a registry exceeds it.
    const all = await new OciRegistryClient(registry.url, FAST).listTags(REPO, { maxTags: 130_000 });
    expect(all.length).toBe(130_000);
    await expect(new OciRegistryClient(registry.url, FAST).listTags(REPO)).rejects.toThrow(`${registry.url}/${REPO} has more than 10000 tags to keep; refusing to hold more`);
  }, 60_000);

  it('GIVEN 50 pages of long tags (300 MB) THEN a process with a 96 MB heap lists the releases among them', async () => {
    const PAGES = 50;
    const longTag = (page: number, i: number) => `build-${page}-${i}-${'x'.repeat(MAX_TAG_LENGTH - 20)}`;
    const perPage = 45_000; // ~6 MB a page
    const registry = await serve((req, res) => {
      const url = new URL(req.url ?? '/', 'http://registry');
      const page = Number(url.searchParams.get('page') ?? '1');
      res.writeHead(200, {
        'content-type': 'application/json',
        ...(page < PAGES ? { link: `</v2/${REPO}/tags/list?n=100&page=${page + 1}>; rel="next"` } : {}),
      });
      res.write(`{"name": "${REPO}", "tags": [`);
      for (let i = 0; i < perPage; i += 1_000) {
        res.write(Array.from({ length: 1_000 }, (_, k) => JSON.stringify(longTag(page, i + k))).join(',') + ',');
      }
      res.end(`"v2.${page}.0"]}`);
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'tags-memory-'));
    try {
      const script = path.join(dir, 'list.js');
      writeFileSync(
        script,
        [
          `require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register();`,
          `const { UpstreamReleaseSource } = require(${JSON.stringify(path.resolve(__dirname, '../../../../updater/adapters/oci/upstream-release-source.ts'))});`,
          `new UpstreamReleaseSource({ registryUrl: process.argv[2], repository: ${JSON.stringify(REPO)} }).listTags()`,
          '  .then((tags) => { process.stdout.write(JSON.stringify({ tags, heapMB: Math.round(process.memoryUsage().heapUsed / 1e6) })); })',
          '  .catch((e) => { process.stderr.write(String(e && e.message)); process.exit(2); });',
        ].join('\n'),
      );
      const started = Date.now();
      const r = await new Promise<ReturnType<typeof spawnSync>>((resolve) => {
        // Asynchronously: the registry serving the pages runs in this process.
        const { spawn } = require('node:child_process') as typeof import('node:child_process');
        const child = spawn(process.execPath, ['--max-old-space-size=96', script, registry.url], { cwd: path.resolve(__dirname, '../../../..') });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (status) => resolve({ status, stdout, stderr } as unknown as ReturnType<typeof spawnSync>));
      });
      process.stderr.write(`tags-list: 50 pages streamed in ${Date.now() - started} ms\n`);
      expect({ status: r.status, stderr: String(r.stderr).slice(-500) }).toEqual({ status: 0, stderr: '' });
      const out = JSON.parse(String(r.stdout)) as { tags: string[]; heapMB: number };
      expect(out.tags).toEqual(Array.from({ length: PAGES }, (_, i) => `v2.${i + 1}.0`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
