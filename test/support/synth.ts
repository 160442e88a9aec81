/** Synthesizes stacks from config text and queries the synthesized Terraform JSON. */
import { Testing, type TerraformStack } from 'cdktf';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../constructs/core/config/load';
import { formatIssues } from '../../constructs/core/config/config-error';
import type { KitConfig } from '../../constructs/core/config/schema';
import type { TargetConfig } from '../../kinds';
import { addTargetStacks } from '../../stacks/targets';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_AWS_ECS = path.join(REPO_ROOT, 'examples', 'aws-ecs.yaml');

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function configFrom(text: string): KitConfig {
  const r = parseConfig(text, 'test');
  if (!r.ok) throw new Error(formatIssues(r.source, r.issues));
  return r.config;
}

/** The example config, with a deep patch applied to its single target. */
export function exampleTarget(patch: (t: Json) => void = () => undefined): { name: string; config: KitConfig } {
  const { parse, stringify } = require('yaml') as typeof import('yaml');
  const doc = parse(readFileSync(EXAMPLE_AWS_ECS, 'utf8')) as Json;
  const name = Object.keys(doc.targets)[0]!;
  patch(doc.targets[name]);
  return { name, config: configFrom(stringify(doc)) };
}

export class Synthesized {
  constructor(readonly json: Json) {}

  /** All resources of a type, as [logicalId, body] pairs. */
  resources(type: string): [string, Json][] {
    return Object.entries(this.json.resource?.[type] ?? {});
  }

  /** The only resource of a type (fails if there is not exactly one). */
  only(type: string): Json {
    const all = this.resources(type);
    if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
    return all[0]![1];
  }

  /** The resource of a type whose logical id contains `idPart`. */
  find(type: string, idPart: string): Json {
    const hits = this.resources(type).filter(([id]) => id.includes(idPart));
    if (hits.length !== 1) throw new Error(`expected one ${type} with id containing ${idPart}, found ${hits.map(([i]) => i).join(', ') || 'none'}`);
    return hits[0]![1];
  }

  count(type: string): number {
    return this.resources(type).length;
  }

  /** A policy-like JSON string attribute, parsed. */
  static policy(text: string): Json {
    return JSON.parse(text);
  }
}

export function synthStack(stack: TerraformStack): Synthesized {
  return new Synthesized(JSON.parse(Testing.synth(stack)));
}

/** Builds every stack of a config in a test app and synthesizes the first (or the named) one. */
export function synthConfig(config: KitConfig, stackName?: string): Synthesized {
  const app = Testing.app();
  const stacks = addTargetStacks(app, config);
  const stack = stackName ? stacks.find((s) => s.node.id === stackName) : stacks[0];
  if (!stack) throw new Error(`no stack ${stackName}`);
  return synthStack(stack);
}

export function synthTarget(name: string, target: TargetConfig): Synthesized {
  return synthConfig({ targets: { [name]: target } });
}
