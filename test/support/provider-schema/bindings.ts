/**
 * Reads the compiled bindings of a `@cdktf/provider-*` package (`lib/<resource>/**.js`) for what
 * its `.jsii` assembly does not say: each property's Terraform (snake_case) name, whether it is
 * a block or an attribute, list or set, and which attributes a class can read (computed ones
 * included). The generated code has one fixed shape, which these patterns follow:
 *
 *   function fooToHclTerraform(struct) { const attrs = { snake_name: { value: ...(struct.camelName),
 *     isBlock: true, type: "list", storageClassType: "FooBarList" }, ... } }
 *   class Foo extends cdktf.TerraformResource { ... synthesizeHclAttributes() { ...(this._camelName) ... } }
 *   class FooOutputReference extends cdktf.ComplexObject { get uid() { return this.getStringAttribute('uid'); } }
 */

export interface BoundProperty {
  readonly snake: string;
  readonly isBlock: boolean;
  /** `simple`, `list`, `set`, `map` or `struct`, as the binding records it. */
  readonly kind: string;
}

export interface BoundStruct {
  /** By camelCase (jsii) property name. */
  readonly properties: Map<string, BoundProperty>;
}

export interface Bindings {
  /** Struct functions, keyed by struct name with a lower-case first letter (`namespaceV1Metadata`). */
  readonly structs: Map<string, BoundStruct>;
  /** Resource, data source and provider classes: their configuration properties. */
  readonly classes: Map<string, BoundStruct>;
  /** Snake names each class can read (getters), keyed by class name (`NamespaceV1`, `NamespaceV1MetadataOutputReference`). */
  readonly readable: Map<string, Set<string>>;
}

const HCL_ENTRY = /(?:^|[\s{,])"?([A-Za-z_][\w-]*)"?: \{\s*value: ([^\n]*),\s*isBlock: (true|false),\s*type: "(\w+)",\s*storageClassType: "(\w+)",\s*\}/g;
const CONFIG_FIELD = /this\._(\w+)(?:\.internalValue)? = config\.(\w+);/g;
const READ_ATTRIBUTE = /\.(?:get\w*Attribute|interpolationForAttribute)\('([\w-]+)'\)|new (?:\w+\.)?\w+\(this, "([\w-]+)"/g;

export function emptyBindings(): Bindings {
  return { structs: new Map(), classes: new Map(), readable: new Map() };
}

function entries(chunk: string, owner: RegExp): Map<string, BoundProperty> {
  const properties = new Map<string, BoundProperty>();
  for (const m of chunk.matchAll(HCL_ENTRY)) {
    const [, snake, value, isBlock, kind] = m;
    const camel = [...value!.matchAll(owner)].at(-1)?.[1];
    if (camel) properties.set(camel, { snake: snake!, isBlock: isBlock === 'true', kind: kind! });
  }
  return properties;
}

/** Adds what one compiled binding file declares to `into`. */
export function readBindings(source: string, into: Bindings = emptyBindings()): Bindings {
  // Top-level declarations start at column 0 in the compiled output.
  for (const chunk of source.split(/\n(?=function |class )/)) {
    const fn = /^function (\w+)ToHclTerraform\(struct\)/.exec(chunk);
    if (fn) {
      into.structs.set(fn[1]!, { properties: entries(chunk, /\bstruct\.(\w+)/g) });
      continue;
    }
    const cls = /^class (\w+) extends cdktf\.(\w+)/.exec(chunk);
    if (!cls) continue;
    const [, name, base] = cls;
    if (base === 'TerraformResource' || base === 'TerraformDataSource' || base === 'TerraformProvider') {
      // The constructor copies each config property into a private field, whose name may differ
      // (`this._self = config.selfAttribute`, `this._getPasswordData = config.fetchPasswordData`).
      const fieldToConfig = new Map<string, string>();
      for (const m of chunk.matchAll(CONFIG_FIELD)) fieldToConfig.set(m[1]!, m[2]!);
      const byField = entries(chunk.slice(chunk.indexOf('synthesizeHclAttributes()')), /\bthis\._(\w+)/g);
      into.classes.set(name!, { properties: new Map([...byField].map(([field, p]) => [fieldToConfig.get(field) ?? field, p])) });
    }
    if (base === 'TerraformResource' || base === 'TerraformDataSource' || base === 'ComplexObject') {
      const names = new Set<string>();
      for (const m of chunk.matchAll(READ_ATTRIBUTE)) names.add((m[1] ?? m[2])!);
      into.readable.set(name!, names);
    }
  }
  return into;
}

/** The key a struct's HCL function is filed under. */
export function structKey(structName: string): string {
  return structName.charAt(0).toLowerCase() + structName.slice(1);
}
