/**
 * moto cannot execute Lambda code (no Docker on this machine). Where a deploy's
 * `aws_lambda_invocation` would run the updater's bootstrap, the emulator tiers run the same code
 * in-process, against moto and loopback registries, and queue its result as the function's
 * response (moto's documented lambda-simple response queue), so the apply receives exactly what
 * the handler produced.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { unescapeTerraformTemplate } from '../../constructs/core/terraform-text';
import type { UpdaterRunResult } from '../../updater/core/run';
import { runAwsUpdater, type AwsUpdaterOptions } from '../../updater/entry/aws-updater';
import { parseAwsUpdaterConfig, UPDATER_CONFIG_ENV, type AwsUpdaterConfig } from '../../updater/entry/aws-updater-config';

/**
 * The updater configuration a synthesized stack puts into its function's environment, as the
 * function receives it: Terraform evaluates the escapes of the user text in it (`$${` is `${`).
 */
export function updaterConfigOf(stackDir: string): AwsUpdaterConfig {
  const json = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const fn = Object.values(json.resource.aws_lambda_function as Record<string, { environment: { variables: Record<string, string> } }>)[0]!;
  const text = fn.environment.variables[UPDATER_CONFIG_ENV];
  return parseAwsUpdaterConfig(text === undefined ? undefined : unescapeTerraformTemplate(text));
}

/** Runs the bootstrap in-process and queues its result as the next Lambda response in moto. */
export async function queueBootstrap(motoEndpoint: string, region: string, config: AwsUpdaterConfig, options: AwsUpdaterOptions): Promise<UpdaterRunResult> {
  await fetch(`${motoEndpoint}/moto-api/config`, { method: 'POST', body: JSON.stringify({ lambda: { use_docker: false } }) });
  const boot = await runAwsUpdater(config, { action: 'bootstrap' }, options);
  const queued = await fetch(`${motoEndpoint}/moto-api/static/lambda-simple/response`, {
    method: 'POST',
    body: JSON.stringify({ results: [JSON.stringify(boot)], region }),
  });
  if (queued.status !== 201) throw new Error(`moto refused the queued bootstrap response: HTTP ${queued.status}`);
  return boot;
}
