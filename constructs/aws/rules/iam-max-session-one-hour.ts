/** AWS-IAM-8 (kit-only): role sessions last at most one hour. */
import { readNumber, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const MAX_SESSION_SECONDS = 3600;

export const IAM_MAX_SESSION_ONE_HOUR: Rule = {
  id: 'AWS-IAM-8',
  title: 'Role sessions last at most 1 hour',
  why: 'Session credentials cannot be revoked one by one; the shorter they live, the shorter a leaked operator or updater session stays useful.',
  fix: 'Set max_session_duration = 3600 or leave it unset (3600 is the default).',
  publicIds: [],
  appliesTo: ['aws_iam_role'],
  check: (role) => {
    const v = readNumber(role.body.max_session_duration);
    if (v.kind === 'absent' || (v.kind === 'literal' && v.value <= MAX_SESSION_SECONDS)) return compliant();
    if (v.kind === 'expression') return nonCompliant(unprovable('max_session_duration', v.text));
    return nonCompliant(`max_session_duration is ${JSON.stringify(v.value)} seconds (more than ${MAX_SESSION_SECONDS})`);
  },
};
