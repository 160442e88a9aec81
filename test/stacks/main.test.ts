/** The app as cdktf runs it: `node --import tsx stacks/main.ts`, config from RUNNER_KIT_CONFIG. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfigFile } from '../../constructs/core/config/load';
import type { KitConfig } from '../../constructs/core/config/schema';
import { OUTPUT_MARKER, synthesize } from '../../stacks/main';
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
    const broken = { targets: { ...loaded.config.targets, bad: { ...loaded.config.targets['ecsexample']!, platform: 'gke' } } } as unknown as KitConfig;
    expect(() => synthesize(broken, out)).toThrow(/is not a target kind of this version of the kit/);
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
  });
});

describe('the output directory: the kit replaces only what it created (issue 16, data loss)', () => {
  let dir: string;
  let config: KitConfig;
  beforeAll(() => {
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', 'aws-ecs.yaml'));
    if (!loaded.ok) throw new Error('example invalid');
    config = loaded.config;
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'outdir-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Every file below `root`, with its content: what must survive a refused synthesis. */
  const snapshot = (root: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const walk = (rel: string) => {
      for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
        const r = path.join(rel, e.name);
        if (e.isDirectory()) walk(r);
        else out[r] = readFileSync(path.join(root, r), 'utf8');
      }
    };
    walk('.');
    return out;
  };

  it('GIVEN CDKTF_OUTDIR=. (cdktf deploy --output .) THEN the app refuses and the project, its state and .git survive', () => {
    const project = path.join(dir, 'project');
    mkdirSync(path.join(project, '.git'), { recursive: true });
    writeFileSync(path.join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(path.join(project, 'terraform.prod.tfstate'), '{"version": 4}');
    writeFileSync(path.join(project, 'runner-kit.yaml'), readFileSync(path.join(REPO_ROOT, 'examples', 'aws-ecs.yaml'), 'utf8'));
    const before = snapshot(project);
    const r = spawnSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [path.join(REPO_ROOT, 'stacks', 'main.ts')], {
      cwd: project,
      env: { ...process.env, RUNNER_KIT_CONFIG: '', CDKTF_OUTDIR: '.' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/refusing to synthesize into .*: it is \(or contains\) the directory you run in/);
    expect(snapshot(project)).toEqual(before);
    expect(readdirSync(dir)).toEqual(['project']);
  });

  it('GIVEN a home-like folder THEN it is refused and .ssh/id_rsa survives', () => {
    const home = path.join(dir, 'home');
    mkdirSync(path.join(home, '.ssh'), { recursive: true });
    writeFileSync(path.join(home, '.ssh', 'id_rsa'), 'PRIVATE KEY');
    expect(() => synthesize(config, home)).toThrow(/it is not empty \(\.ssh\) and was not created by the kit/);
    expect(snapshot(home)).toEqual({ [path.join('.ssh', 'id_rsa')]: 'PRIVATE KEY' });
    expect(readdirSync(dir)).toEqual(['home']);
  });

  it('GIVEN the home directory itself THEN it is refused, even when empty', () => {
    const { checkOutputDirectory } = require('../../stacks/main') as typeof import('../../stacks/main');
    expect(() => checkOutputDirectory(dir, '/', dir)).toThrow(/your home directory or the filesystem root/);
    expect(() => checkOutputDirectory('/', path.join(dir, 'elsewhere'), dir)).toThrow(/(home directory or the filesystem root|directory you run in)/);
  });

  it('GIVEN a file THEN it is refused and the file is unchanged', () => {
    const file = path.join(dir, 'notes.txt');
    writeFileSync(file, 'keep me');
    expect(() => synthesize(config, file)).toThrow(/it is a file, not a directory/);
    expect(readFileSync(file, 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('GIVEN a symbolic link THEN it is refused and its target is unchanged', () => {
    const real = path.join(dir, 'real');
    mkdirSync(real);
    writeFileSync(path.join(real, 'f'), 'x');
    symlinkSync(real, path.join(dir, 'link'));
    expect(() => synthesize(config, path.join(dir, 'link'))).toThrow(/symbolic link/);
    expect(snapshot(real)).toEqual({ f: 'x' });
  });

  it('GIVEN a directory the kit created THEN it is replaced atomically, marker included', () => {
    const out = path.join(dir, 'cdktf.out');
    synthesize(config, out);
    expect(readdirSync(out).sort()).toEqual([OUTPUT_MARKER, 'manifest.json', 'stacks'].sort());
    writeFileSync(path.join(out, 'stale.txt'), 'from an earlier run');
    synthesize(config, out);
    expect(existsSync(path.join(out, 'stale.txt'))).toBe(false);
    expect(existsSync(path.join(out, OUTPUT_MARKER))).toBe(true);
    expect(readdirSync(dir)).toEqual(['cdktf.out']);
  });

  it('GIVEN a directory the kit created that now holds Terraform state THEN it is refused and the state survives', () => {
    const out = path.join(dir, 'cdktf.out');
    synthesize(config, out);
    const state = path.join(out, 'stacks', 'ecsexample', 'terraform.tfstate');
    writeFileSync(state, '{"version": 4}');
    expect(() => synthesize(config, out)).toThrow(/holds Terraform state \(stacks\/ecsexample\/terraform.tfstate\)/);
    expect(readFileSync(state, 'utf8')).toBe('{"version": 4}');
  });

  it('GIVEN a local state path inside the output directory THEN synthesis refuses and writes nothing', () => {
    const out = path.join(dir, 'build');
    const inside: KitConfig = { targets: { ecsexample: { ...config.targets.ecsexample!, stateBackend: { type: 'local', path: path.join(out, 'prod.tfstate') } } } };
    expect(() => synthesize(inside, out)).toThrow(/the local state of ecsexample .* would lie inside it/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('GIVEN a directory named like an old staging directory THEN synthesis leaves it alone', () => {
    const out = path.join(dir, 'cdktf.out');
    const lookalike = `${out}.staging-${process.pid}`;
    mkdirSync(lookalike);
    writeFileSync(path.join(lookalike, 'mine.txt'), 'not the kit\'s');
    synthesize(config, out);
    expect(readFileSync(path.join(lookalike, 'mine.txt'), 'utf8')).toBe('not the kit\'s');
    expect(readdirSync(dir).sort()).toEqual(['cdktf.out', path.basename(lookalike)].sort());
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

describe('synthesis needs no terraform binary, and every stack states the Terraform it needs', () => {
  it('GIVEN every example in one config and a PATH with node alone THEN it synthesizes, and each stack requires Terraform >= 1.11', () => {
    const { parse, stringify } = require('yaml') as typeof import('yaml');
    const { TERRAFORM_REQUIRED_VERSION } = require('../../constructs/core/terraform-data') as typeof import('../../constructs/core/terraform-data');
    const dir = mkdtempSync(path.join(tmpdir(), 'no-terraform-'));
    try {
      const examples = readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml'));
      const targets = Object.assign({}, ...examples.map((e) => (parse(readFileSync(path.join(REPO_ROOT, 'examples', e), 'utf8')) as { targets: object }).targets));
      writeFileSync(path.join(dir, 'all.yaml'), stringify({ targets }));
      const bin = path.join(dir, 'bin');
      mkdirSync(bin);
      symlinkSync(process.execPath, path.join(bin, 'node'));
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'stacks', 'main.ts')], {
        cwd: REPO_ROOT,
        env: { ...process.env, PATH: bin, RUNNER_KIT_CONFIG: path.join(dir, 'all.yaml'), CDKTF_OUTDIR: path.join(dir, 'out') },
        encoding: 'utf8',
        timeout: 120_000,
      });
      expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, stderr: '' });
      const stacks = readdirSync(path.join(dir, 'out', 'stacks'));
      expect(stacks.length).toBeGreaterThanOrEqual(examples.length);
      for (const stack of stacks) {
        const doc = JSON.parse(readFileSync(path.join(dir, 'out', 'stacks', stack, 'cdk.tf.json'), 'utf8')) as { terraform: { required_version?: string } };
        expect({ stack, required: doc.terraform.required_version }).toEqual({ stack, required: TERRAFORM_REQUIRED_VERSION });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('synthesize: the findings report per stack', () => {
  it('writes cdktf.out/stacks/<stack>/rule-findings.json: each pack, the rules it ran and every acknowledged finding with its reason', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'findings-'));
    try {
      const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', 'aws-eks.yaml'));
      if (!loaded.ok) throw new Error('aws-eks.yaml is invalid');
      const stacks = synthesize(loaded.config, path.join(dir, 'out'));
      const reports = stacks.map((s) => JSON.parse(readFileSync(path.join(dir, 'out', 'stacks', s, 'rule-findings.json'), 'utf8')));
      expect(reports.map((r) => [r.stack, r.packs.map((p: { pack: string }) => p.pack)])).toEqual([
        [stacks[0], ['aws']],
        [stacks[1], ['aws', 'kubernetes']],
      ]);
      const k8s = reports[1].packs[1];
      expect(k8s.rules).toContain('K8S-POD-1');
      expect(k8s.acknowledged).toContainEqual(expect.objectContaining({ finding: 'K8S-POD-6[ServiceAccountToken]', reason: expect.stringMatching(/calls the Kubernetes API/) }));
      expect(k8s.unusedAcknowledgements).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
