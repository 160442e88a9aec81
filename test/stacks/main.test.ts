/** The app as cdktf runs it: `node --import tsx stacks/main.ts`, config from RUNNER_KIT_CONFIG. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfigFile } from '../../constructs/core/config/load';
import { synthesize } from '../../stacks/main';
import { REPO_ROOT } from '../support/synth';

const runApp = (cwd: string, env: Record<string, string>) =>
  spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'stacks', 'main.ts')], {
    cwd,
    env: { ...process.env, ...env, CDKTF_OUTDIR: '' },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('stacks/main.ts', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'app-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('GIVEN an invalid config THEN it exits non-zero, lists every problem and writes nothing', () => {
    writeFileSync(path.join(dir, 'runner-kit.yaml'), 'targets:\n  prod:\n    cloud: aws\n    platform: ecs\n    region: mars-1\n    meshstack: { apiUrl: "http://x" }\n    runners: {}\n');
    const r = runApp(dir, { RUNNER_KIT_CONFIG: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/3 problems found, nothing was synthesized/);
    expect(r.stderr).toMatch(/targets\.prod\.region: got "mars-1"/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(dir)).toEqual(['runner-kit.yaml']);
  });

  it('GIVEN no config file THEN it says how to provide one', () => {
    const r = runApp(dir, { RUNNER_KIT_CONFIG: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/config file not found.*RUNNER_KIT_CONFIG/s);
    expect(existsSync(path.join(dir, 'cdktf.out'))).toBe(false);
  });

  it('GIVEN RUNNER_KIT_CONFIG THEN it synthesizes that file into ./cdktf.out', () => {
    const r = runApp(dir, { RUNNER_KIT_CONFIG: path.join(REPO_ROOT, 'examples', 'aws-ecs.yaml') });
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'ecsexample', 'cdk.tf.json'), 'utf8')).resource.aws_ecs_service).toBeDefined();
    expect(readdirSync(dir)).toEqual(['cdktf.out']); // no staging leftovers
  });

  it('GIVEN an output directory whose parent does not exist yet THEN it is created', () => {
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', 'aws-ecs.yaml'));
    if (!loaded.ok) throw new Error('example invalid');
    expect(synthesize(loaded.config, path.join(dir, 'a', 'b', 'out'))).toEqual(['ecsexample']);
    expect(existsSync(path.join(dir, 'a', 'b', 'out', 'manifest.json'))).toBe(true);
  });

  it('GIVEN a synthesis failure THEN the previous output directory is left unchanged', () => {
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', 'aws-ecs.yaml'));
    if (!loaded.ok) throw new Error('example invalid');
    const out = path.join(dir, 'cdktf.out');
    synthesize(loaded.config, out);
    const before = readFileSync(path.join(out, 'manifest.json'), 'utf8');
    const broken = { targets: { ...loaded.config.targets, bad: { ...loaded.config.targets['ecsexample']!, platform: 'gke' as const } } };
    expect(() => synthesize(broken, out)).toThrow(/has no stack/);
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
  });
});

describe('examples', () => {
  const examples = readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml'));
  it.each(examples)('%s is valid and synthesizes', (example) => {
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', example));
    expect(loaded.ok ? [] : loaded.issues).toEqual([]);
    if (!loaded.ok) return;
    const out = mkdtempSync(path.join(tmpdir(), 'example-'));
    try {
      expect(synthesize(loaded.config, out).length).toBeGreaterThan(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
