/**
 * The compact provider schema the gate checks against: what Terraform would accept in a resource,
 * data source or provider block, derived once from a `@cdktf/provider-*` package and cached.
 */

/** A value type, after Terraform's type system (lists and sets look the same in JSON). */
export type ValueType =
  | 'string'
  | 'number'
  | 'bool'
  | 'any'
  | { readonly list: ValueType }
  | { readonly map: ValueType }
  /** An object-typed attribute (a nested attribute, not a block): the struct id of its shape. */
  | { readonly object: string };

export interface Attribute {
  readonly type: ValueType;
  readonly required: boolean;
}

/**
 * A nested block. `single` is a block the binding types as one struct (Terraform MaxItems 1):
 * at most one copy; `list` and `set` take any number.
 */
export interface NestedBlock {
  readonly nesting: 'list' | 'set' | 'single';
  readonly required: boolean;
  readonly struct: string;
}

/** The body of a block: its arguments, nested blocks and the attributes only the provider sets. */
export interface Struct {
  readonly attributes: Readonly<Record<string, Attribute>>;
  readonly blocks: Readonly<Record<string, NestedBlock>>;
  /** Attributes that can be read but never set (computed-only). */
  readonly computed: readonly string[];
}

/** A resource or data source type: its configuration struct and every attribute it exposes. */
export interface BlockType {
  readonly struct: string;
  /** Every top-level attribute a reference may read (arguments and computed attributes). */
  readonly readable: readonly string[];
}

export interface ProviderSchema {
  /** Bump when the derived format changes: it is part of the cache key. */
  readonly format: number;
  readonly package: string;
  readonly packageVersion: string;
  /** e.g. `hashicorp/kubernetes`. */
  readonly source: string;
  /** The provider's local name (`kubernetes`) and the version the package binds (`2.38.0`). */
  readonly name: string;
  readonly version: string;
  /** The provider block's struct id, when the package has a provider class. */
  readonly providerConfig?: string;
  readonly resources: Readonly<Record<string, BlockType>>;
  readonly dataSources: Readonly<Record<string, BlockType>>;
  readonly structs: Readonly<Record<string, Struct>>;
}

export const SCHEMA_FORMAT = 2;

/** Terraform meta-arguments: valid in every resource and data source, not part of any schema. */
export const META_ARGUMENTS: ReadonlySet<string> = new Set(['count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'connection', 'provisioner']);

/** Meta-arguments of a provider block. */
export const PROVIDER_META_ARGUMENTS: ReadonlySet<string> = new Set(['alias', 'version']);

export function describeType(t: ValueType): string {
  if (typeof t === 'string') return t;
  if ('list' in t) return `list(${describeType(t.list)})`;
  if ('map' in t) return `map(${describeType(t.map)})`;
  return 'object';
}
