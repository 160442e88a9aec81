/**
 * The schema gate: checks a synthesized stack (`cdk.tf.json`) against the provider schemas of the
 * installed `@cdktf/provider-*` packages, for stacks whose providers are not available to
 * `terraform validate`. Loads only the schemas of the providers it is asked to check.
 */
import { BlockChecker, type Report } from './check-block';
import { ReferenceChecker } from './check-references';
import { suggestion, type Finding } from './findings';
import { isInstalled, loadProviderSchema, packageForProvider } from './schema-cache';
import { META_ARGUMENTS, PROVIDER_META_ARGUMENTS, type Attribute, type NestedBlock, type ProviderSchema, type Struct } from './schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface GateOptions {
  /** The stack's name, for findings. */
  readonly stack: string;
  /**
   * Provider types (`kubernetes`, `azurerm`) whose resource, data source and provider blocks to check.
   * @default - every provider in `terraform.required_providers`
   */
  readonly providers?: readonly string[];
  /** @default - loadProviderSchema (cached under node_modules/.cache/provider-schema) */
  readonly loadSchema?: (pkg: string) => ProviderSchema;
}

/** `hashicorp/kubernetes` or `registry.terraform.io/hashicorp/kubernetes` or `kubernetes` -> `kubernetes`. */
export function providerType(source: string): string {
  return source.split('/').at(-1)!;
}

/** The provider types a stack requires, by local name. */
export function requiredProviders(json: Json): Map<string, { type: string; version?: string }> {
  const out = new Map<string, { type: string; version?: string }>();
  for (const [local, req] of Object.entries<Json>(json.terraform?.required_providers ?? {})) {
    out.set(local, { type: providerType(typeof req === 'string' ? local : (req.source ?? local)), version: typeof req === 'string' ? req : req.version });
  }
  return out;
}

const EXACT_VERSION = /^\s*=?\s*(\d+\.\d+\.\d+)\s*$/;

/** The local provider name a block belongs to: its `provider` meta-argument, else its type's prefix. */
function localProvider(type: string, body: Json): string {
  if (typeof body?.provider === 'string') return body.provider.replace(/^\$\{(.*)\}$/, '$1').split('.')[0]!;
  return type.split('_')[0]!;
}

export function checkStack(json: Json, opts: GateOptions): Finding[] {
  const findings: Finding[] = [];
  const load = opts.loadSchema ?? ((pkg: string) => loadProviderSchema(pkg));
  const required = requiredProviders(json);
  const wanted = new Set(opts.providers ?? [...required.values()].map((r) => r.type));
  const schemas = new Map<string, ProviderSchema>(); // by local name

  for (const [local, req] of required) {
    if (!wanted.has(req.type)) continue;
    const pkg = packageForProvider(req.type);
    const address = `provider.${local}`;
    if (!opts.loadSchema && !isInstalled(pkg)) {
      findings.push({ stack: opts.stack, address, path: '', check: 'provider-schema', problem: `no schema for provider "${req.type}": ${pkg} is not installed`, fix: `add ${pkg} (pinned, the release that binds the provider version the stack requires) to devDependencies` });
      continue;
    }
    const schema = load(pkg);
    schemas.set(local, schema);
    const exact = EXACT_VERSION.exec(req.version ?? '')?.[1];
    if (exact && exact !== schema.version) {
      findings.push({ stack: opts.stack, address, path: '', check: 'provider-schema', problem: `the stack requires ${schema.source} ${exact}, but ${schema.package} ${schema.packageVersion} describes ${schema.version}`, fix: `pin ${schema.package} to the release that binds ${exact}, or require ${schema.version}` });
    }
  }

  const report =
    (address: string): Report =>
    (path, check, problem, fix) =>
      findings.push({ stack: opts.stack, address, path, check, problem, fix });

  for (const [section, prefix] of [['resource', ''], ['data', 'data.']] as const) {
    for (const [type, byName] of Object.entries<Json>(json[section] ?? {})) {
      for (const [name, body] of Object.entries<Json>(byName)) {
        const schema = schemas.get(localProvider(type, body));
        if (!schema) continue;
        const address = `${prefix}${type}.${name}`;
        const types = section === 'resource' ? schema.resources : schema.dataSources;
        const blockType = types[type];
        if (!blockType) {
          const kind = section === 'resource' ? 'resource type' : 'data source';
          report(address)('', 'unknown-type', `${kind} "${type}" does not exist in ${schema.source} ${schema.version}`, `use a ${kind} the provider defines: ${suggestion(type, Object.keys(types), `${kind}s`)}`);
          continue;
        }
        const checker = new BlockChecker(schema, report(address));
        checker.checkBody(body, blockType.struct, '', META_ARGUMENTS);
        checkLifecycle(body?.lifecycle, schema, blockType.struct, report(address));
      }
    }
  }

  for (const [local, blocks] of Object.entries<unknown>(json.provider ?? {})) {
    const schema = schemas.get(local);
    if (!schema?.providerConfig) continue;
    (Array.isArray(blocks) ? blocks : [blocks]).forEach((b: Json) => {
      const address = `provider.${local}${b?.alias ? `.${b.alias}` : ''}`;
      new BlockChecker(schema, report(address)).checkBody(b, schema.providerConfig!, '', PROVIDER_META_ARGUMENTS);
    });
  }

  findings.push(...new ReferenceChecker(opts.stack, json, [...schemas.values()]).check());
  return findings;
}

/** `lifecycle.ignore_changes` paths (`spec[0].template[0].metadata[0].annotations["k"]`) must exist in the schema. */
function checkLifecycle(lifecycle: unknown, schema: ProviderSchema, structId: string, report: Report): void {
  const ignore = (lifecycle as Json | undefined)?.ignore_changes;
  if (!Array.isArray(ignore)) return;
  ignore.forEach((entry, i) => {
    if (typeof entry !== 'string' || entry === 'all') return;
    let struct: Struct | undefined = schema.structs[structId];
    for (const segment of entry.split(/\.|(?=\[)/)) {
      if (!struct || segment.startsWith('[')) continue;
      const name = segment;
      const attribute: Attribute | undefined = struct.attributes[name];
      const block: NestedBlock | undefined = struct.blocks[name];
      if (!attribute && !block && !struct.computed.includes(name)) {
        report(`lifecycle.ignore_changes[${i}]`, 'unknown-argument', `"${entry}" names "${name}", which is not an attribute of this block`, `name an existing attribute: ${suggestion(name, [...Object.keys(struct.attributes), ...Object.keys(struct.blocks)], 'arguments')}`);
        return;
      }
      const objectType: string | undefined = attribute && typeof attribute.type === 'object' && 'object' in attribute.type ? attribute.type.object : undefined;
      struct = block ? schema.structs[block.struct] : objectType ? schema.structs[objectType] : undefined;
    }
  });
}
