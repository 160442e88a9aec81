/** AWS-KMS-1 (CKV_AWS_7): symmetric KMS keys rotate. */
import { readBoolean, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, notApplicable, type Rule } from '../../core/rules/rule';

export const KMS_KEY_ROTATION: Rule = {
  id: 'AWS-KMS-1',
  title: 'KMS keys rotate',
  why: 'Without rotation one key version protects every secret, log and image for the key\'s whole life, so an exposure of key material is unbounded in time.',
  fix: 'Set enable_key_rotation = true (RunnerKey does).',
  publicIds: ['CKV_AWS_7'],
  appliesTo: ['aws_kms_key'],
  check: (key) => {
    const spec = key.body.customer_master_key_spec ?? key.body.key_spec;
    if (typeof spec === 'string' && spec !== 'SYMMETRIC_DEFAULT') return notApplicable(`key spec ${spec} does not support automatic rotation`);
    const v = readBoolean(key.body.enable_key_rotation);
    if (v.kind === 'literal' && v.value) return compliant();
    if (v.kind === 'expression') return nonCompliant(unprovable('enable_key_rotation', v.text));
    return nonCompliant(`enable_key_rotation is ${v.kind === 'absent' ? 'unset (off)' : JSON.stringify(v.value)}`);
  },
};
