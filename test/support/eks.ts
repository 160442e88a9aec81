/**
 * Test helpers for the Kubernetes variants: the EKS example with a patch, both stacks of a target
 * synthesized at once (cluster and workload), bare stacks for construct tests, and the offline
 * mirror requirement of the Kubernetes provider.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Testing, TerraformStack, type App } from 'cdktf';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AwsContext } from '../../constructs/aws/aws-context';
import type { KitConfig } from '../../constructs/core/config/schema';
import { addTargetStacks } from '../../stacks/targets';
import { PROVIDER_MIRROR, writeCliConfig } from './terraform';
import type { Requirement } from './requirements';
import { configFrom, REPO_ROOT, Synthesized, synthStack, type Json } from './synth';

export const EXAMPLE_AWS_EKS = path.join(REPO_ROOT, 'examples', 'aws-eks.yaml');
export const KUBERNETES_PROVIDER_VERSION = '2.38.0';

/** The EKS example, with a deep patch applied to its single target. */
export function exampleEksTarget(patch: (t: Json) => void = () => undefined): { name: string; config: KitConfig } {
  const { parse, stringify } = require('yaml') as typeof import('yaml');
  const doc = parse(readFileSync(EXAMPLE_AWS_EKS, 'utf8')) as Json;
  const name = Object.keys(doc.targets)[0]!;
  patch(doc.targets[name]);
  return { name, config: configFrom(stringify(doc)) };
}

export interface EksStacks {
  readonly cluster: Synthesized;
  readonly workload: Synthesized;
  readonly stacks: readonly TerraformStack[];
}

/** Builds a config's stacks in one test app and synthesizes the cluster and workload stack of `target`. */
export function synthEks(config: KitConfig, target?: string): EksStacks {
  const app = Testing.app();
  const stacks = addTargetStacks(app, config);
  const name = target ?? Object.keys(config.targets)[0]!;
  const find = (id: string) => {
    const s = stacks.find((x) => x.node.id === id);
    if (!s) throw new Error(`no stack ${id} (have ${stacks.map((x) => x.node.id).join(', ')})`);
    return s;
  };
  return { cluster: synthStack(find(`${name}-cluster`)), workload: synthStack(find(`${name}-workload`)), stacks };
}

/** A stack with the Kubernetes provider, for construct tests. */
export function kubernetesStack(app: App = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, 'test');
  new KubernetesProvider(stack, 'kubernetes', {});
  return stack;
}

/** A stack with the AWS provider and its context, for construct tests. */
export function awsStack(app: App = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, 'test');
  new AwsProvider(stack, 'aws', { region: 'eu-central-1' });
  AwsContext.init(stack, 'eu-central-1');
  return stack;
}

/** The warnings annotated on a stack's constructs (cdktf's `Annotations.addWarning`). */
export function warnings(stack: TerraformStack): string[] {
  return stack.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn')
    .map((m) => String(m.data));
}

/** Parses the synthesized JSON of a construct test stack. */
export const synthOf = (stack: TerraformStack): Synthesized => synthStack(stack);

export const kubernetesProviderMirror: Requirement = {
  name: `hashicorp/kubernetes ${KUBERNETES_PROVIDER_VERSION} mirror`,
  check: () => {
    const dir = path.join(PROVIDER_MIRROR, 'registry.terraform.io', 'hashicorp', 'kubernetes', KUBERNETES_PROVIDER_VERSION);
    return existsSync(dir) ? undefined : `the Kubernetes provider is not mirrored offline (no ${dir}); the workload stack is validated by schema tests instead`;
  },
};

/** A CLI config installing hashicorp/aws and hashicorp/kubernetes from the mirror, nothing from the network. */
export function writeKubernetesCliConfig(file: string): string {
  return writeCliConfig(file, ['aws', 'kubernetes']);
}
