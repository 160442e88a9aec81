/** AWS-LOG-2 (CKV_AWS_66): log groups have a retention period. */
import { readNumber } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const LOG_GROUP_RETENTION: Rule = {
  id: 'AWS-LOG-2',
  title: 'Log groups have retention',
  why: 'Without retention logs are kept (and billed) forever, including whatever sensitive detail a run printed; a defined period is also what auditors ask for.',
  fix: 'Set retention_in_days (the kit uses logs.retentionDays, default 90).',
  publicIds: ['CKV_AWS_66'],
  appliesTo: ['aws_cloudwatch_log_group'],
  check: (group) => {
    const v = readNumber(group.body.retention_in_days);
    if (v.kind === 'expression' || (v.kind === 'literal' && v.value > 0)) return compliant();
    return nonCompliant(`retention_in_days is ${v.kind === 'absent' ? 'unset' : JSON.stringify(v.value)}: logs never expire`);
  },
};
