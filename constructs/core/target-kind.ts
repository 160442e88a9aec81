/**
 * A target kind: one (cloud, platform) pair, e.g. `aws/ecs`, the unit the kit adds clouds and
 * platforms in. Each kind is one entry in one list (`constructs/target-kinds.ts`) and owns:
 * - its config: the cloud's target schema and checks (shared by the cloud's kinds) and its own;
 * - how it adds its stacks (one, or cluster plus workload on Kubernetes);
 * - its policy documents for auditors;
 * - its updater entry (what `runner-kit update` runs from a deployer's machine).
 *
 * Every dispatch point (validation, synthesis, policy generation, the CLI) loops over the list;
 * none switches on cloud names. Entries are light: a kind loads its cloud's provider bindings only
 * when a target of that kind is synthesized (`require` inside `addStacks`), so validating or
 * synthesizing an AWS-only config never loads the Azure or Google bindings.
 */
import type { App, TerraformStack } from 'cdktf';
import type { ZodType } from 'zod';
import type { ConfigIssue } from './config/config-error';
import type { Cloud, KitConfig, Platform, SharedTargetConfig } from './config/schema';
import type { Add } from './config/semantic';
import type { UpdaterPayload } from '../../updater/core/payload';
import type { UpdaterRunResult } from '../../updater/core/run';

/** How `runner-kit update` runs a target's updater from the deployer's machine. */
export interface UpdaterEntry {
  /**
   * Runs the updater once for `payload` with the deployer's credentials, as the deployed updater
   * would; `log` receives its JSON log lines. A check (dry run) reports instead of writing metrics.
   */
  run(payload: UpdaterPayload, log: (line: string) => void, env: NodeJS.ProcessEnv): Promise<UpdaterRunResult>;
}

/** The auditor documents of one target of an example config (see scripts/generate-policies.ts). */
export interface TargetPolicyDocuments {
  /** Files by path relative to the repository (`policies/<cloud>/<target>/...`), with their text. */
  readonly files: ReadonlyMap<string, string>;
  /** What the cloud's README section is rendered from. */
  readonly audited: unknown;
}

/** A cloud's part of `policies/`: its documents per target, and its section of `policies/README.md`. */
export interface CloudPolicies {
  /** The folder under `policies/` the cloud's files go to (the generator removes stale files there). */
  readonly folder: string;
  documents(config: KitConfig, target: string, source: string): TargetPolicyDocuments;
  /** The cloud's section of the README, for the targets documented (in order), under the common banner. */
  readme(audited: readonly unknown[], banner: string): string;
}

export interface TargetKind<T extends SharedTargetConfig = SharedTargetConfig> {
  readonly cloud: Cloud;
  readonly platform: Platform;
  /** Whether the runners run as run-controller on a Kubernetes cluster (the shared workload). */
  readonly kubernetes: boolean;
  /** The kind's own checks on the raw target (the cloud's checks run first); `typed` once the shape is valid. */
  readonly check: (t: Readonly<Record<string, unknown>>, add: Add, typed?: T) => void;
  /** The target's stack names, in deploy order (no synthesis). */
  readonly stackNames: (target: string) => readonly string[];
  /**
   * The stacks that take the runners' secret inputs (`TF_VAR_...`), in deploy order.
   * @default - the first stack only (ECS, Cloud Run: the only one; EKS: the cluster stack)
   */
  readonly secretInputStacks?: (target: string) => readonly string[];
  /** Adds the target's stacks to `app` (loads the cloud's bindings on first use). */
  readonly addStacks: (app: App, name: string, target: T) => TerraformStack[];
  /** The updater of one target, as `runner-kit update` runs it. */
  readonly updater?: (name: string, target: T) => UpdaterEntry;
}

/** A cloud: its target schema and checks, and its kinds. */
export interface CloudDefinition<T extends SharedTargetConfig = SharedTargetConfig> {
  readonly cloud: Cloud;
  readonly targetSchema: ZodType<T>;
  /** The cloud's checks of one target (its block, ids, operator access, limits); `typed` once the shape is valid. */
  readonly check: (name: string, t: Readonly<Record<string, unknown>>, add: Add, typed?: T) => ConfigIssue[];
  /** Checks across all of the config's targets of this cloud (name collisions). */
  readonly checkAcrossTargets?: (targets: readonly (readonly [string, T])[]) => ConfigIssue[];
  readonly kinds: readonly TargetKind<T>[];
  /** Its policy documents for auditors (loaded on first use). */
  readonly policies?: () => CloudPolicies;
}
