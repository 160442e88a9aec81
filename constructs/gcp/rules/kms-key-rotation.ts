/** GCP-KMS-1 (CKV_GCP_43): crypto keys rotate within 90 days. */
import { compliant, nonCompliant, notApplicable, type Rule } from '../../core/rules/rule';

export const MAX_ROTATION_SECONDS = 90 * 24 * 3600;

export const KMS_KEY_ROTATION: Rule = {
  id: 'GCP-KMS-1',
  title: 'KMS keys rotate at least every 90 days',
  why: 'One key version protecting every secret and image for the key\'s whole life makes an exposure of key material unbounded in time.',
  fix: 'Set rotation_period to at most "7776000s" (RunnerKey does).',
  publicIds: ['CKV_GCP_43'],
  appliesTo: ['google_kms_crypto_key'],
  check: (key) => {
    if (key.body.purpose !== undefined && key.body.purpose !== 'ENCRYPT_DECRYPT') return notApplicable(`purpose ${String(key.body.purpose)} keys do not rotate automatically`);
    const m = /^(\d+(?:\.\d+)?)s$/.exec(String(key.body.rotation_period ?? ''));
    if (m === null) return nonCompliant('rotation_period is unset: the key never rotates');
    return Number(m[1]) <= MAX_ROTATION_SECONDS ? compliant() : nonCompliant(`rotation_period ${String(key.body.rotation_period)} is longer than 90 days`);
  },
};
