/**
 * THE list of target kinds: every (cloud, platform) pair this version of the kit deploys. Every
 * dispatch point loops over it: config validation (the target schema is the union of the clouds'
 * schemas), synthesis (`stacks/targets.ts`), policy generation (`scripts/generate-policies.ts`) and
 * the CLI (`runner-kit update`, `runner-kit keys`). Adding a kind is adding its entry here and its
 * folder (`constructs/<cloud>/`, with a thin stack file in `stacks/`); see README, Layout.
 */
import { z } from 'zod';
import type { Cloud, Platform } from '../constructs/core/config/schema';
import type { CloudDefinition, TargetKind } from '../constructs/core/target-kind';
import { AwsTargetSchema } from '../constructs/aws/config';
import { AzureTargetSchema } from '../constructs/azure/config';
import { AWS } from './aws';
import { AZURE } from './azure';
import { GcpTargetSchema } from '../constructs/gcp/config';
import { GCP } from './gcp';

/** The clouds this version of the kit deploys to, each with its kinds. */
export const CLOUD_DEFINITIONS = [AWS, AZURE, GCP] as const;

/** Every kind, in the order the README lists them. */
export const TARGET_KINDS: readonly TargetKind[] = CLOUD_DEFINITIONS.flatMap((c) => c.kinds as readonly TargetKind[]);

/** A target: the union of the clouds' target schemas, discriminated by `cloud` (one schema per cloud above). */
export const TargetSchema = z.discriminatedUnion('cloud', [AwsTargetSchema, AzureTargetSchema, GcpTargetSchema]);
export type TargetConfig = z.output<typeof TargetSchema>;

export const kindId = (cloud: string, platform: string) => `${cloud}/${platform}`;

/** The kinds this version deploys, as `<cloud>/<platform>`. */
export const IMPLEMENTED_KINDS: readonly string[] = TARGET_KINDS.map((k) => kindId(k.cloud, k.platform));

export function cloudDefinition(cloud: unknown): CloudDefinition | undefined {
  return (CLOUD_DEFINITIONS as readonly CloudDefinition[]).find((c) => c.cloud === cloud);
}

/** The kind of a (validated) target. Throws for a kind this version does not deploy (validation refuses those first). */
export function kindOf(target: { readonly cloud: Cloud | string; readonly platform: Platform | string }): TargetKind {
  const kind = TARGET_KINDS.find((k) => k.cloud === target.cloud && k.platform === target.platform);
  if (kind === undefined) throw new Error(`${kindId(target.cloud, target.platform)} is not a target kind of this version of the kit (available: ${IMPLEMENTED_KINDS.join(', ')})`);
  return kind;
}
