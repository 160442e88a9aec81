/**
 * The official Azure SDKs' own models, for the fake ARM server (test/support/fake-arm.ts) to
 * validate every request body against, so the fake cannot accept what Azure would refuse:
 * - Azure Container Instances: the AutoRest-generated mappers of @azure/arm-containerinstance
 *   (`dist-esm/src/models/mappers.js`, not exported from the package's entry point, compiled here
 *   to CommonJS with @swc/core), with @azure/core-client's serializer. A body is valid when the
 *   serializer can read it into the model and write it back (required properties present, types
 *   right, constraints met) AND what it writes back equals what was sent (a property the API model
 *   does not have is dropped on the way, and the difference is reported).
 * - Azure Container Registry 12.x is TypeSpec-generated and ships no mappers: its own serializer of
 *   `ImportImageParameters` is used the same way (round trip), plus the required `source.sourceImage`
 *   and the `mode` values the model names.
 */
import { createSerializer, type CompositeMapper, type Mapper, type Serializer } from '@azure/core-client';
import { transformSync } from '@swc/core';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

let aci: { serializer: Serializer; mappers: Record<string, Mapper> } | undefined;

function containerInstanceModels(): { serializer: Serializer; mappers: Record<string, Mapper> } {
  if (aci !== undefined) return aci;
  const file = path.join(path.dirname(require.resolve('@azure/arm-containerinstance/package.json')), 'dist-esm', 'src', 'models', 'mappers.js');
  const { code } = transformSync(readFileSync(file, 'utf8'), { module: { type: 'commonjs' }, jsc: { target: 'es2022', parser: { syntax: 'ecmascript' } }, filename: file });
  const exports: Record<string, Mapper> = {};
  new Function('exports', 'module', code)(exports, { exports });
  aci = { serializer: createSerializer(exports, false), mappers: exports };
  return aci;
}

/** Paths where `a` and `b` differ (JSON values), for messages. */
export function differences(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return [at || '(root)'];
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${at}[${k}]` : at ? `${at}.${k}` : k));
}

/** The value at a `differences` path. */
function at(value: unknown, p: string): unknown {
  let cur = value;
  for (const part of p.match(/[^.[\]]+/g) ?? []) cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[part] : undefined;
  return cur;
}

/**
 * Problems of `body` as the wire form of ACI model `model` (e.g. `ContainerGroup`, `Resource`):
 * empty when the SDK's mappers accept it unchanged.
 */
export function containerInstanceBodyProblems(model: string, body: unknown): string[] {
  const { serializer, mappers } = containerInstanceModels();
  const mapper = mappers[model] as CompositeMapper | undefined;
  if (mapper === undefined) throw new Error(`@azure/arm-containerinstance has no model ${model}`);
  let written: unknown;
  try {
    const read = serializer.deserialize(mapper, body, 'body');
    written = serializer.serialize(mapper, read, 'body');
  } catch (error) {
    return [`the ${model} model refuses it: ${(error as Error).message}`];
  }
  // What the model does not know is lost on the way; read-only properties are never sent by the SDK.
  const back = JSON.parse(JSON.stringify(written)) as unknown;
  // A value the model adds where the body has none is a default the service applies, not a problem.
  return differences(back, body)
    .filter((p) => at(body, p) !== undefined).map((p) => `${p}: not in the ${model} model as sent (unknown property or wrong shape; sent ${JSON.stringify(at(body, p))}, the model keeps ${JSON.stringify(at(back, p))})`);
}

/** Problems of `body` as an ACR `ImportImageParameters` (12.x model). */
export function importImageBodyProblems(body: unknown): string[] {
  const dir = path.dirname(require.resolve('@azure/arm-containerregistry/package.json'));
  const models = require(path.join(dir, 'dist', 'commonjs', 'models', 'models.js')) as {
    importImageParametersSerializer: (item: unknown) => unknown;
    KnownImportMode: Record<string, string>;
  };
  const b = body as { source?: { sourceImage?: unknown }; mode?: unknown } | null;
  const problems: string[] = [];
  if (b === null || typeof b !== 'object') return ['body is not an object'];
  if (typeof b.source?.sourceImage !== 'string') problems.push('source.sourceImage is required (a string)');
  if (b.mode !== undefined && !Object.values(models.KnownImportMode).includes(b.mode as string)) problems.push(`mode ${JSON.stringify(b.mode)} is not one of ${Object.values(models.KnownImportMode).join(', ')}`);
  let written: unknown;
  try {
    written = models.importImageParametersSerializer(body);
  } catch (error) {
    return [...problems, `the ImportImageParameters model refuses it: ${(error as Error).message}`];
  }
  return [...problems, ...differences(JSON.parse(JSON.stringify(written)), body).map((p) => `${p}: not in the ImportImageParameters model`)];
}
