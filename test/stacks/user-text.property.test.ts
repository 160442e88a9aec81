/**
 * Config text never reaches Terraform as an expression (issue 16, "Injection"). Property-based, and
 * evaluated by a real `terraform` binary:
 *
 * GIVEN random strings (rich in `$`, `%`, braces, quotes and any Unicode) in the config's text fields
 * THEN validation rejects a string at its own field, or accepts it; and an accepted string
 * - changes no key, list length or type of the synthesized `cdk.tf.json` (the same as with a plain
 *   marker value in that field), and no structure of the JSON or YAML documents inside it
 *   (container definitions, IAM policies, the updater's configuration, run-controller's config file);
 * - is, after Terraform evaluates the synthesized strings, exactly where the marker was: the deployed
 *   value equals the user's text.
 *
 * Backend settings are compared without evaluation: Terraform reads them literally.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { Testing } from 'cdktf';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../constructs/core/config/load';
import { addTargetStacks } from '../../stacks/targets';
import { describeWith } from '../support/requirements';
import { REPO_ROOT } from '../support/synth';
import { terraform } from '../support/terraform';
import { evaluateWithTerraform, templateHeavyString, withoutReferences } from '../support/terraform-eval';
import * as path from 'node:path';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Field {
  /** Path below the target, as validation reports it. */
  readonly path: string;
  /** A value validation accepts, unique in the synthesized stacks, standing for the field. */
  readonly marker: string;
  readonly value: fc.Arbitrary<string>;
  readonly set: (t: Json, v: string) => void;
}

const chars = (alphabet: string, extra: string[] = ['$', '{', '}', '%', '${', '%{', '$${']) =>
  fc.array(fc.oneof(fc.constantFrom(...alphabet.split('')), fc.constantFrom(...extra)), { minLength: 1, maxLength: 16 }).map((p) => p.join(''));
const text = fc.oneof(templateHeavyString(30), fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }));

const COMMON: Field[] = [
  { path: 'runners.default.apiClientId', marker: 'zqapiclientidzq', value: text, set: (t, v) => (t.runners.default.apiClientId = v) },
  {
    path: 'meshstack.apiUrl',
    marker: 'https://federation.example.meshcloud.io/zqurlzq',
    value: chars("abcXYZ019-._~!$&'()*+,;=:@/%").map((p) => `https://federation.example.meshcloud.io/${p}`),
    set: (t, v) => (t.meshstack.apiUrl = v),
  },
  { path: 'alarms.emails[0]', marker: 'zqmailzq@example.com', value: chars("abc019.!#$%&'*+/=?^_`{|}~-").map((l) => `${l}@example.com`), set: (t, v) => (t.alarms.emails = [v]) },
  { path: 'tags.team', marker: 'zqtagzq', value: chars('abc XY019_.:/=+-@'), set: (t, v) => (t.tags.team = v) },
  { path: 'runners.default.uuid', marker: '3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f', value: fc.oneof(fc.uuid({ version: 4 }), chars('0123456789abcdef-')), set: (t, v) => (t.runners.default.uuid = v) },
  { path: 'operatorAccess.externalId', marker: 'zqexternalidzq', value: chars('abcXYZ019_+=,.@:/-'), set: (t, v) => (t.operatorAccess.externalId = v) },
  {
    path: 'operatorAccess.principalArnPatterns[0]',
    marker: 'arn:aws:iam::111122223333:role/zqpatternzq-*',
    value: chars('abcXYZ019_+=,.@/*?-').map((p) => `arn:aws:iam::111122223333:role/${p}`),
    set: (t, v) => (t.operatorAccess.principalArnPatterns = [v]),
  },
  { path: 'operatorAccess.sourceIdentityPatterns[0]', marker: '*@zqidentityzq.io', value: chars('abcXYZ019_+=,.@*?-'), set: (t, v) => (t.operatorAccess.sourceIdentityPatterns = [v]) },
  // Without the .tfstate suffix: the EKS stacks replace it with -cluster.tfstate / -workload.tfstate.
  { path: 'stateBackend.path', marker: 'zqstatezq', value: text.map((s) => s.replace(/[/\\]/g, '_')), set: (t, v) => (t.stateBackend = { type: 'local', path: v }) },
];
const ECS: Field[] = [
  ...COMMON,
  // The window's cron reaches the updater's configuration as text (updates.schedule does not: it is
  // parsed and EventBridge's expression is written from its numbers).
  {
    path: 'updates.window.schedule',
    marker: '13 2 * * 1-5',
    value: fc.oneof(fc.constantFrom('0 3 * * *', '15 2 * * 1-5', '*/30 1 * * 0'), chars('0123456789*,-/ ')),
    set: (t, v) => (t.updates.window = { ...t.updates.window, schedule: v }),
  },
];
const EKS: Field[] = [
  ...COMMON,
  { path: 'kubernetes.ownedByWorkspace', marker: 'zqworkspacezq', value: text, set: (t, v) => (t.kubernetes.ownedByWorkspace = v) },
  { path: 'kubernetes.namespace', marker: 'zqnamespacezq', value: chars('abc019-'), set: (t, v) => (t.kubernetes.namespace = v) },
];

/** The example as data, with every field set to its marker. */
function withMarkers(example: string, fields: readonly Field[]): { doc: Json; name: string } {
  const doc = parse(readFileSync(path.join(REPO_ROOT, 'examples', example), 'utf8')) as Json;
  const name = Object.keys(doc.targets)[0]!;
  const t = doc.targets[name];
  t.tags ??= {};
  t.alarms ??= {};
  t.updates ??= {};
  t.operatorAccess ??= { principals: ['111122223333'], externalId: 'x-external' };
  for (const f of fields) f.set(t, f.marker);
  return { doc, name };
}

function synthesized(doc: Json): Json[] {
  const r = parseConfig(stringify(doc), 'property.yaml');
  if (!r.ok) throw new Error(`expected a valid config: ${JSON.stringify(r.issues)}`);
  return addTargetStacks(Testing.app(), r.config).map((s) => JSON.parse(Testing.synth(s)) as Json);
}

interface Pair {
  readonly at: string;
  readonly benign: string;
  readonly random: string;
}

/** Walks two synthesized stacks in step: same keys, list lengths and types; collects the strings that differ. */
function differingStrings(benign: unknown, random: unknown, at: string, out: Pair[]): void {
  if (typeof benign === 'string') {
    expect(typeof random).toBe('string');
    if (benign !== random) out.push({ at, benign, random: random as string });
    return;
  }
  if (Array.isArray(benign)) {
    expect(Array.isArray(random) && random.length).toBe(benign.length);
    benign.forEach((b, i) => differingStrings(b, (random as unknown[])[i], `${at}[${i}]`, out));
    return;
  }
  if (benign !== null && typeof benign === 'object') {
    expect(Object.keys(random as Json)).toEqual(Object.keys(benign));
    for (const [k, b] of Object.entries(benign)) differingStrings(b, (random as Json)[k], `${at}.${k}`, out);
    return;
  }
  expect(random).toEqual(benign);
}

/** A JSON or YAML document inside a string attribute (as the kit writes them), or undefined for plain text. */
function structured(value: string): unknown {
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      /* plain text */
    }
  }
  if (value.includes('\n')) {
    try {
      const doc = parse(value) as unknown;
      if (doc !== null && typeof doc === 'object') return doc;
    } catch {
      /* plain text */
    }
  }
  return undefined;
}

function substituted(value: unknown, substitute: (s: string) => string): unknown {
  if (typeof value === 'string') return substitute(value);
  if (Array.isArray(value)) return value.map((v) => substituted(v, substitute));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [substitute(k), substituted(v, substitute)]));
  return value;
}

function checkRoundTrip(example: string, fields: readonly Field[], values: readonly string[]): void {
  const benign = withMarkers(example, fields);
  const random = withMarkers(example, fields);
  const t = random.doc.targets[random.name];
  fields.forEach((f, i) => f.set(t, values[i]!));
  // Validation rejects a value at its own field, or accepts it.
  const first = parseConfig(stringify(random.doc), 'property.yaml');
  const rejected = new Set<string>();
  if (!first.ok) {
    for (const issue of first.issues) {
      const field = fields.find((f) => issue.path === `targets.${random.name}.${f.path}`);
      if (field === undefined) throw new Error(`issue outside the randomized fields: ${JSON.stringify(issue)}`);
      rejected.add(field.path);
    }
  }
  fields.forEach((f) => rejected.has(f.path) && f.set(t, f.marker));
  const accepted = fields.map((f, i) => ({ f, v: values[i]! })).filter(({ f }) => !rejected.has(f.path) && f.marker !== undefined);
  const substitute = (s: string) => accepted.reduce((acc, { f, v }) => acc.split(f.marker).join(v), s);

  const a = synthesized(benign.doc);
  const b = synthesized(random.doc);
  expect(b.length).toBe(a.length);
  const pairs: Pair[] = [];
  a.forEach((stack, i) => differingStrings(stack, b[i], `stack${i}`, pairs));

  // Backend settings: Terraform reads them literally.
  for (const p of pairs.filter((p) => p.at.includes('.terraform.backend.'))) expect(p.random).toBe(substitute(p.benign));
  const evaluated = pairs.filter((p) => !p.at.includes('.terraform.backend.'));
  const templates: Record<string, string> = {};
  evaluated.forEach((p, i) => {
    templates[`b${i}`] = withoutReferences(p.benign);
    templates[`r${i}`] = withoutReferences(p.random);
  });
  const values_ = Object.keys(templates).length > 0 ? evaluateWithTerraform(templates) : {};
  const reached = new Set<string>();
  evaluated.forEach((p, i) => {
    const benignValue = values_[`b${i}`]!;
    const randomValue = values_[`r${i}`]!;
    for (const { f } of accepted) if (benignValue.includes(f.marker)) reached.add(f.path);
    const doc = structured(benignValue);
    if (doc === undefined) expect({ at: p.at, value: randomValue }).toEqual({ at: p.at, value: substitute(benignValue) });
    else expect({ at: p.at, value: structured(randomValue) }).toEqual({ at: p.at, value: substituted(doc, substitute) });
  });
  for (const p of pairs.filter((p) => p.at.includes('.terraform.backend.'))) for (const { f } of accepted) if (p.benign.includes(f.marker)) reached.add(f.path);
  // Every accepted value that differs from its marker reached the synthesized stacks.
  for (const { f, v } of accepted) if (v !== f.marker) expect({ field: f.path, reached: reached.has(f.path) }).toEqual({ field: f.path, reached: true });
}

describeWith([terraform], 'config text reaches the deployed value verbatim, or is rejected at its field (property, real terraform)', () => {
  it('ECS: apiClientId, apiUrl, e-mail, tag, uuid, external id, principal and source-identity patterns, schedule, state path', () => {
    fc.assert(fc.property(fc.tuple(...ECS.map((f) => f.value)), (values) => checkRoundTrip('aws-ecs.yaml', ECS, values)), { numRuns: 20 });
  }, 240_000);

  it('EKS: the same, and the workspace and namespace (run-controller\'s config file, every Kubernetes object)', () => {
    fc.assert(fc.property(fc.tuple(...EKS.map((f) => f.value)), (values) => checkRoundTrip('aws-eks.yaml', EKS, values)), { numRuns: 10 });
  }, 240_000);

  it('GIVEN the issue\'s examples THEN they are text in the deployed value, not expressions', () => {
    checkRoundTrip('aws-ecs.yaml', ECS, ECS.map((f) => (f.path === 'runners.default.apiClientId' ? '${local.nope}' : f.path === 'alarms.emails[0]' ? 'ops-${file("/etc/hostname")}@example.com' : f.marker)));
  }, 60_000);

  it('GIVEN an unclosed "${" or "$${" before the kit\'s references in the same string THEN the references keep working (cdktf reads "${" as hand-written)', () => {
    checkRoundTrip('aws-eks.yaml', EKS, EKS.map((f) => (f.path === 'kubernetes.ownedByWorkspace' ? '$${' : f.path === 'runners.default.apiClientId' ? 'x${' : f.marker)));
    checkRoundTrip('aws-ecs.yaml', ECS, ECS.map((f) => (f.path === 'runners.default.apiClientId' ? '%{ if true }${' : f.marker)));
  }, 60_000);
});
