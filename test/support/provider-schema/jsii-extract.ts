/**
 * Derives a compact provider schema from an installed `@cdktf/provider-*` package: its `.jsii`
 * assembly gives every resource's, data source's and the provider's Config struct (property types,
 * `optional` flags, nested structs), and the docs link on each class names its Terraform type;
 * the compiled bindings give snake_case names, block or attribute, list or set, and the attributes
 * only the provider sets (see bindings.ts).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { emptyBindings, readBindings, structKey, type Bindings, type BoundProperty } from './bindings';
import { SCHEMA_FORMAT, type Attribute, type BlockType, type NestedBlock, type ProviderSchema, type Struct, type ValueType } from './schema';

// The parts of the jsii assembly format (spec: jsii's `@jsii/spec`) this reader uses.
interface TypeRef {
  readonly primitive?: string;
  readonly fqn?: string;
  readonly collection?: { readonly kind: 'array' | 'map'; readonly elementtype: TypeRef };
  readonly union?: { readonly types: readonly TypeRef[] };
}
interface JsiiProperty {
  readonly name: string;
  readonly optional?: boolean;
  readonly type: TypeRef;
  readonly docs?: { readonly summary?: string; readonly remarks?: string };
}
interface JsiiType {
  readonly fqn: string;
  readonly name: string;
  readonly kind: string;
  readonly base?: string;
  readonly datatype?: boolean;
  readonly docs?: { readonly summary?: string };
  readonly locationInModule?: { readonly filename: string };
  readonly properties?: readonly JsiiProperty[];
  readonly initializer?: { readonly parameters?: readonly { readonly name: string; readonly type: TypeRef }[] };
}
interface Assembly {
  readonly name: string;
  readonly version: string;
  readonly types: Readonly<Record<string, JsiiType>>;
}

/** Reads a package's `.jsii`, following a compressed-assembly redirect if the package uses one. */
export function readAssembly(packageDir: string): Assembly {
  const text = readFileSync(path.join(packageDir, '.jsii'), 'utf8');
  if (text.length < 4096 && text.includes('jsii/file-redirect')) {
    const redirect = JSON.parse(text) as { filename: string; compression?: string };
    const bytes = readFileSync(path.join(packageDir, redirect.filename));
    return JSON.parse((redirect.compression === 'gzip' ? gunzipSync(bytes) : bytes).toString('utf8')) as Assembly;
  }
  return JSON.parse(text) as Assembly;
}

const CLASS_LINK = /\{@link https:\/\/registry\.terraform\.io\/providers\/([^/\s]+)\/([^/\s]+)\/([^/\s]+)\/docs(?:\/(resources|data-sources)\/\S+)? ([\w-]+)\}/;
const PROPERTY_LINK = /\{@link https:\/\/registry\.terraform\.io\/\S+#([\w-]+) \w+#[\w-]+\}/;

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return jsFiles(full);
    return entry.endsWith('.js') ? [full] : [];
  });
}

/** A compiled file's code without its inline source map (often over half its bytes), decoded. */
function withoutSourceMap(bytes: Buffer): string {
  const map = bytes.lastIndexOf('\n//# sourceMappingURL=');
  return bytes.toString('utf8', 0, map >= 0 ? map : bytes.length);
}

class Extractor {
  private readonly structs: Record<string, Struct> = {};
  private readonly bindingsByDir = new Map<string, Bindings>();
  private readonly prefix: string;

  constructor(
    private readonly assembly: Assembly,
    private readonly packageDir: string,
  ) {
    this.prefix = `${assembly.name}.`;
  }

  run(): ProviderSchema {
    const resources: Record<string, BlockType> = {};
    const dataSources: Record<string, BlockType> = {};
    let provider: { source: string; name: string; version: string; config?: string } | undefined;
    for (const cls of Object.values(this.assembly.types)) {
      if (cls.kind !== 'class') continue;
      const role = cls.base === 'cdktf.TerraformResource' ? 'resource' : cls.base === 'cdktf.TerraformDataSource' ? 'data' : cls.base === 'cdktf.TerraformProvider' ? 'provider' : undefined;
      if (!role) continue;
      const link = CLASS_LINK.exec(cls.docs?.summary ?? '');
      if (!link) throw new Error(`${cls.fqn}: no Terraform docs link in its summary; cannot tell its Terraform type`);
      const [, namespace, providerType, version, , terraformType] = link;
      const configFqn = cls.initializer?.parameters?.find((p) => p.name === 'config')?.type.fqn;
      if (!configFqn) throw new Error(`${cls.fqn}: no config parameter`);
      const bindings = this.bindingsFor(cls);
      const configStruct = this.struct(configFqn, bindings, bindings.classes.get(cls.name)?.properties, bindings.readable.get(cls.name));
      if (role === 'provider') {
        provider = { source: `${namespace}/${providerType}`, name: providerType!, version: version!, config: configStruct };
        continue;
      }
      const readable = new Set(bindings.readable.get(cls.name) ?? []);
      const struct = this.structs[configStruct]!;
      for (const n of [...Object.keys(struct.attributes), ...Object.keys(struct.blocks)]) readable.add(n);
      (role === 'resource' ? resources : dataSources)[terraformType!] = { struct: configStruct, readable: [...readable].sort() };
    }
    if (!provider) throw new Error(`${this.assembly.name}: no provider class in the assembly`);
    return {
      format: SCHEMA_FORMAT,
      package: this.assembly.name,
      packageVersion: this.assembly.version,
      source: provider.source,
      name: provider.name,
      version: provider.version,
      providerConfig: provider.config,
      resources,
      dataSources,
      structs: this.structs,
    };
  }

  /** The compiled bindings of the folder a class lives in (`lib/namespace-v1/**.js`). */
  private bindingsFor(cls: JsiiType): Bindings {
    const file = cls.locationInModule?.filename;
    if (!file) return emptyBindings();
    const dir = path.join(this.packageDir, path.dirname(file).replace(/^src(?=\/|$)/, 'lib'));
    let bindings = this.bindingsByDir.get(dir);
    if (!bindings) {
      bindings = emptyBindings();
      for (const f of jsFiles(dir)) readBindings(withoutSourceMap(readFileSync(f)), bindings);
      this.bindingsByDir.set(dir, bindings);
    }
    return bindings;
  }

  /** Converts a jsii struct (by fqn) into a schema struct and returns its id. */
  private struct(fqn: string, bindings: Bindings, bound?: Map<string, BoundProperty>, readable?: Set<string>): string {
    const id = fqn.startsWith(this.prefix) ? fqn.slice(this.prefix.length) : fqn;
    if (this.structs[id]) return id;
    const type = this.assembly.types[fqn];
    if (!type) throw new Error(`${fqn}: not in the assembly`);
    const properties = bound ?? bindings.structs.get(structKey(type.name))?.properties ?? new Map<string, BoundProperty>();
    const attributes: Record<string, Attribute> = {};
    const blocks: Record<string, NestedBlock> = {};
    const computed: string[] = [];
    // Reserve the id first: structs may (in principle) refer to themselves.
    this.structs[id] = { attributes, blocks, computed } satisfies Struct;
    for (const p of type.properties ?? []) {
      const b = properties.get(p.name);
      const docs = `${p.docs?.summary ?? ''} ${p.docs?.remarks ?? ''}`;
      const linked = PROPERTY_LINK.exec(docs)?.[1];
      // Both sources agree on every property of the pinned packages (measured); neither is a bug here.
      const snake = b?.snake ?? linked;
      if (!snake) throw new Error(`${fqn}.${p.name}: neither the compiled bindings nor the docs name its Terraform attribute`);
      const required = !p.optional;
      const nested = this.nestedStruct(p.type);
      if (nested && (b ? b.isBlock : true)) {
        const nesting = nested.many ? (b?.kind === 'set' ? 'set' : 'list') : 'single';
        blocks[snake] = { nesting, required, struct: this.struct(nested.fqn, bindings, undefined, bindings.readable.get(`${this.assembly.types[nested.fqn]!.name}OutputReference`)) };
      } else {
        attributes[snake] = { type: this.valueType(p.type, bindings), required };
      }
    }
    const settable = new Set([...Object.keys(attributes), ...Object.keys(blocks)]);
    computed.push(...[...(readable ?? [])].filter((n) => !settable.has(n)).sort());
    return id;
  }

  /** A struct-typed property (one struct, or an array of them): a block or an object attribute. */
  private nestedStruct(t: TypeRef): { fqn: string; many: boolean } | undefined {
    const u = this.unwrap(t);
    if (u.fqn && this.assembly.types[u.fqn]?.datatype) return { fqn: u.fqn, many: false };
    const el = u.collection?.kind === 'array' ? this.unwrap(u.collection.elementtype) : undefined;
    if (el?.fqn && this.assembly.types[el.fqn]?.datatype) return { fqn: el.fqn, many: true };
    return undefined;
  }

  /** Drops `cdktf.IResolvable` from a union (it stands for "a token", which is any expression). */
  private unwrap(t: TypeRef): TypeRef {
    if (!t.union) return t;
    const rest = t.union.types.filter((x) => x.fqn !== 'cdktf.IResolvable');
    return rest.length === 1 ? this.unwrap(rest[0]!) : t;
  }

  private valueType(t: TypeRef, bindings: Bindings): ValueType {
    const u = this.unwrap(t);
    if (u.primitive === 'string') return 'string';
    if (u.primitive === 'number') return 'number';
    if (u.primitive === 'boolean') return 'bool';
    if (u.collection) {
      const el = this.valueType(u.collection.elementtype, bindings);
      return u.collection.kind === 'array' ? { list: el } : { map: el };
    }
    if (u.fqn && this.assembly.types[u.fqn]?.datatype) {
      return { object: this.struct(u.fqn, bindings, undefined, bindings.readable.get(`${this.assembly.types[u.fqn]!.name}OutputReference`)) };
    }
    return 'any';
  }
}

/** Derives the schema of the package installed at `packageDir`. */
export function extractProviderSchema(packageDir: string): ProviderSchema {
  return new Extractor(readAssembly(packageDir), packageDir).run();
}
