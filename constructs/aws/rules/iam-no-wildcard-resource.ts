/**
 * AWS-IAM-3 (CKV_AWS_355; also what CKV_AWS_288 / 289 / 290 flag): no `"Resource": "*"` for
 * actions that support resource-level scoping.
 */
import { fromFindings, notApplicable, type Finding, type Rule } from '../../core/rules/rule';
import { scopingOf } from './support/actions';
import { BOUNDARY_NOT_A_GRANT, conditionValues, isBoundaryOnly, policiesHeldBy, POLICY_RESOURCE_TYPES, statementName } from './support/policy';

export const IAM_NO_WILDCARD_RESOURCE: Rule = {
  id: 'AWS-IAM-3',
  title: 'No `*` resource on actions that support resource scoping',
  why: 'On `*` an action reaches every resource of its kind in the account (every secret, parameter, service, bucket): data exfiltration, permissions management and unconstrained writes far beyond the kit\'s own resources.',
  fix: 'Bind the permission to the ARNs of the kit\'s own resources (PermissionTemplate + bind(...)). `*` stays only for actions that support no resource (the action catalog says which) and for the few authorized on `*` in practice, narrowed by their condition key (e.g. ecs:ListTasks with ecs:cluster).',
  publicIds: ['CKV_AWS_355', 'CKV_AWS_288', 'CKV_AWS_289', 'CKV_AWS_290'],
  appliesTo: [...POLICY_RESOURCE_TYPES, 'aws_iam_role'],
  check: (resource, config) => {
    if (isBoundaryOnly(resource, config)) return notApplicable(BOUNDARY_NOT_A_GRANT);
    const findings: Finding[] = [];
    for (const p of policiesHeldBy(resource, config)) {
      if (!p.read.ok) continue; // AWS-IAM-1 reports it
      for (const s of p.read.statements.filter((x) => x.effect === 'Allow')) {
        const everywhere = s.resources.includes('*') || s.notResources !== undefined;
        if (!everywhere) continue;
        const on = s.notResources ? `NotResource ${JSON.stringify(s.notResources)}` : '"Resource": "*"';
        if (s.notActions) {
          findings.push({ key: `NotAction::${s.notActions.join(',')}`, message: `${p.label} ${statementName(s)} allows every action but ${s.notActions.join(', ')} on ${on}` });
          continue;
        }
        for (const a of s.actions) {
          const scoping = scopingOf(a);
          if (scoping.kind === 'wildcard-only') {
            for (const n of scoping.narrowedBy.filter((x) => conditionValues(s, /./, x.conditionKey) === undefined)) {
              findings.push({ key: `Action::${a}`, message: `${p.label} ${statementName(s)} allows ${n.action} on ${on} without the ${n.conditionKey} condition that narrows it` });
            }
            continue;
          }
          const detail = scoping.kind === 'scopable' ? `although ${scoping.actions.slice(0, 4).join(', ')}${scoping.actions.length > 4 ? ` and ${scoping.actions.length - 4} more` : ''} support${scoping.actions.length === 1 ? 's' : ''} resource scoping` : `and the pack cannot tell whether it supports scoping: ${scoping.why}`;
          findings.push({ key: `Action::${a}`, message: `${p.label} ${statementName(s)} allows ${a} on ${on} ${detail}` });
        }
      }
    }
    return fromFindings(findings);
  },
};
