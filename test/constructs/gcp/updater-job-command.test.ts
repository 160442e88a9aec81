/**
 * The updater job's start script, run for real with /bin/sh: what an on-demand run may override
 * (container args, any non-reserved environment variable) must not reach the updater, except the
 * payload, which the updater validates. `node` is this test's node; the "bundle" prints what it got.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { shellQuote, UPDATER_JOB_PASSED_ENV, updaterJobScript } from '../../../constructs/gcp/updater-job-command';

describe('updaterJobScript', () => {
  let dir: string;
  let bundle: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'updater-job-'));
    bundle = path.join(dir, 'bundle.js');
    writeFileSync(bundle, 'process.stdout.write(JSON.stringify({ env: process.env, argv: process.argv.slice(2), execArgv: process.execArgv }));\n');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Starts the job as Cloud Run would: command [/bin/sh, -c, script], then the (overridden) args, with the (overridden) environment. */
  const start = (configText: string, env: Record<string, string>, args: string[] = []) => {
    const script = updaterJobScript({ bundle, configEnv: 'RUNNER_KIT_UPDATER_CONFIG', configText, payloadEnv: 'RUNNER_KIT_PAYLOAD' }, { env: '/usr/bin/env', node: process.execPath });
    const r = spawnSync('/bin/sh', ['-c', script, ...args], { env, encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout) as { env: Record<string, string>; argv: string[]; execArgv: string[] };
  };

  const config = JSON.stringify({ target: "it's", quote: '"', dollar: '$HOME `id` $(id)', backslash: '\\' });
  const cloudRun = { CLOUD_RUN_JOB: 'prod-updater', CLOUD_RUN_EXECUTION: 'prod-updater-abc12', CLOUD_RUN_TASK_INDEX: '0', CLOUD_RUN_TASK_COUNT: '1' };

  it('passes the literal configuration, Cloud Run\'s reserved names and the payload, and nothing else', () => {
    const got = start(config, { ...cloudRun, RUNNER_KIT_PAYLOAD: '{"action":"check"}', PATH: '/usr/bin:/bin', HOME: '/root' });
    expect(got.env).toEqual({ ...cloudRun, RUNNER_KIT_PAYLOAD: '{"action":"check"}', RUNNER_KIT_UPDATER_CONFIG: config });
    expect(got.argv).toEqual([]);
    expect(got.execArgv).toEqual(['--enable-source-maps']);
  });

  it('GIVEN an override of the configuration, NODE_OPTIONS and other variables, and of the args THEN none reaches node', () => {
    const injected = path.join(dir, 'injected.js');
    writeFileSync(injected, 'process.stdout.write("INJECTED");\n');
    const got = start(
      config,
      { ...cloudRun, RUNNER_KIT_PAYLOAD: '{"action":"update"}', RUNNER_KIT_UPDATER_CONFIG: '{"target":"evil"}', NODE_OPTIONS: `--require ${injected}`, GCE_METADATA_HOST: 'evil:80', NODE_TLS_REJECT_UNAUTHORIZED: '0' },
      ['-e', 'process.stdout.write("INJECTED")'],
    );
    expect(got.env.RUNNER_KIT_UPDATER_CONFIG).toBe(config);
    expect(Object.keys(got.env).sort()).toEqual([...UPDATER_JOB_PASSED_ENV, 'RUNNER_KIT_PAYLOAD', 'RUNNER_KIT_UPDATER_CONFIG'].sort());
    expect(got.argv).toEqual([]);
  });

  it('shellQuote keeps any text literal', () => {
    for (const text of ["a'b", "''", '$(id)', '"x"', 'plain']) {
      const r = spawnSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(text)}`], { encoding: 'utf8' });
      expect(r.stdout).toBe(text);
    }
  });
});
