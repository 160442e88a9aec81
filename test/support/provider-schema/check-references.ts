/**
 * Checks every reference in a synthesized stack: `${type.name.attr}`, `${data.type.name.attr}`,
 * `${ephemeral.type.name.attr}`, `${var.x}`, `${local.x}`, `${module.x}` and the plain
 * `depends_on` entries must name something declared in the same stack, and, where the referenced
 * type's provider schema is loaded, the first attribute read must be one the type exports.
 */
import { references, templateExpressions, type Reference } from './expressions';
import { closest, suggestion, type Finding } from './findings';
import type { BlockType, ProviderSchema } from './schema';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// Roots Terraform defines itself; `each`/`count`/`self` are scoped to the block, not declared.
const BUILT_IN_ROOTS = new Set(['each', 'count', 'self', 'path', 'terraform']);

interface Site {
  readonly address: string;
  readonly path: string;
  readonly value: unknown;
  /** Names bound inside this block (dynamic-block iterators). */
  readonly bound: ReadonlySet<string>;
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** Dynamic-block iterator names in a block body: `iterator`, else the dynamic block's own name. */
function iterators(body: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(body)) body.forEach((b) => iterators(b, into));
  else if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) {
      if (k === 'dynamic' && v && typeof v === 'object') {
        for (const [name, spec] of Object.entries(v)) for (const s of Array.isArray(spec) ? spec : [spec]) into.add(typeof s?.iterator === 'string' ? s.iterator : name);
      }
      iterators(v, into);
    }
  }
  return into;
}

/** Every block of the stack that may hold references, with its Terraform address. */
function sites(json: Json): Site[] {
  const out: Site[] = [];
  const none = new Set<string>();
  for (const [section, prefix] of [['resource', ''], ['data', 'data.'], ['ephemeral', 'ephemeral.']] as const) {
    for (const [type, byName] of Object.entries<Json>(json[section] ?? {})) {
      for (const [name, body] of Object.entries(byName)) out.push({ address: `${prefix}${type}.${name}`, path: '', value: body, bound: iterators(body) });
    }
  }
  for (const [name, blocks] of Object.entries<unknown>(json.provider ?? {})) {
    (Array.isArray(blocks) ? blocks : [blocks]).forEach((b: Json) => out.push({ address: `provider.${name}${b?.alias ? `.${b.alias}` : ''}`, path: '', value: b, bound: none }));
  }
  for (const [name, body] of Object.entries(json.output ?? {})) out.push({ address: `output.${name}`, path: '', value: body, bound: none });
  for (const [name, body] of Object.entries(json.locals ?? {})) out.push({ address: `local.${name}`, path: '', value: body, bound: none });
  for (const [name, body] of Object.entries(json.module ?? {})) out.push({ address: `module.${name}`, path: '', value: body, bound: none });
  return out;
}

export class ReferenceChecker {
  private readonly findings: Finding[] = [];

  constructor(
    private readonly stack: string,
    private readonly json: Json,
    /** Schemas loaded for this stack, to check the attribute a reference reads. */
    private readonly schemas: readonly ProviderSchema[],
  ) {}

  check(): Finding[] {
    for (const site of sites(this.json)) this.walk(site, site.value, site.path);
    return this.findings;
  }

  private walk(site: Site, value: unknown, path: string): void {
    if (typeof value === 'string') {
      for (const expr of templateExpressions(value)) for (const ref of references(expr)) this.checkReference(site, path, ref);
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => this.walk(site, v, join(path, i)));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '//') continue;
        if (k === 'depends_on' && path === '' && Array.isArray(v)) this.checkDependsOn(site, v);
        else this.walk(site, v, join(path, k));
      }
    }
  }

  /** `depends_on` holds bare addresses (`aws_iam_role.x`), not interpolations. */
  private checkDependsOn(site: Site, entries: unknown[]): void {
    entries.forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const text = entry.startsWith('${') && entry.endsWith('}') ? entry.slice(2, -1) : entry;
      const [root, ...parts] = text.split('.');
      this.checkReference(site, join('depends_on', i), { root: root!, parts, text }, true);
    });
  }

  private report(site: Site, path: string, check: Finding['check'], problem: string, fix: string): void {
    this.findings.push({ stack: this.stack, address: site.address, path, check, problem, fix });
  }

  private checkReference(site: Site, path: string, ref: Reference, addressOnly = false): void {
    const { root, parts } = ref;
    if (BUILT_IN_ROOTS.has(root) || site.bound.has(root)) return;
    if (parts.length === 0) {
      this.report(site, path, 'undeclared-reference', `"\${${root}}" is not a valid reference: Terraform reads "${root}" as a name it cannot resolve`, `if this is text for a shell or another template language, escape it as "$\${${root}}"; otherwise reference <type>.<name>.<attribute>, var.<name> or local.<name>`);
      return;
    }
    const named = (section: string, what: string, name: string | undefined) => {
      const declared = Object.keys(this.json[section] ?? {});
      if (name !== undefined && declared.includes(name)) return;
      this.report(site, path, 'undeclared-reference', `"${ref.text}" refers to ${what} "${name}", which this stack does not declare`, declared.length ? `use a declared one: ${suggestion(name ?? '', declared, `${what}s`)}` : `declare ${what} "${name}" in this stack`);
    };
    if (root === 'var') return named('variable', 'variable', parts[0]);
    if (root === 'local') return named('locals', 'local value', parts[0]);
    if (root === 'module') return named('module', 'module', parts[0]);
    const section = root === 'data' ? 'data' : root === 'ephemeral' ? 'ephemeral' : 'resource';
    const [type, name, attribute] = section === 'resource' ? [root, parts[0], parts[1]] : [parts[0], parts[1], parts[2]];
    const prefix = section === 'resource' ? '' : `${section}.`;
    if (!type || !name) {
      this.report(site, path, 'undeclared-reference', `"${ref.text}" is not a complete reference`, `write ${prefix}<type>.<name>.<attribute>`);
      return;
    }
    const instances = this.json[section]?.[type] as Json | undefined;
    if (!instances?.[name]) {
      const declared = Object.keys(instances ?? {});
      const near = closest(name, declared);
      this.report(
        site,
        path,
        'undeclared-reference',
        `"${ref.text}" refers to ${prefix}${type}.${name}, which this stack does not declare`,
        near
          ? `did you mean ${prefix}${type}.${near}?`
          : declared.length
            ? `reference one of the declared ${prefix}${type}: ${declared.join(', ')}`
            : `this stack declares no ${prefix}${type}; declare it here (a resource in another stack is reached through a data source or a variable)`,
      );
      return;
    }
    if (addressOnly || attribute === undefined || section === 'ephemeral') return;
    const blockType = this.blockType(section, type);
    if (blockType && !blockType.readable.includes(attribute)) {
      this.report(site, path, 'unknown-attribute', `"${ref.text}" reads "${attribute}", which ${prefix}${type} does not export`, `read an attribute the type exports: ${suggestion(attribute, blockType.readable, 'attributes')}`);
    }
  }

  private blockType(section: string, type: string): BlockType | undefined {
    for (const s of this.schemas) {
      const t = section === 'data' ? s.dataSources[type] : s.resources[type];
      if (t) return t;
    }
    return undefined;
  }
}
