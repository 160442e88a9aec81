/** GCP-GCS-1 (kit-only; CKV_GCP_29 / 114 in spirit): buckets have uniform access, enforced public access prevention and a customer-managed key. */
import { block, isSet, readBoolean } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const BUCKET_PRIVATE_CMEK: Rule = {
  id: 'GCP-GCS-1',
  title: 'Buckets are private (uniform access, public access prevention) and use a customer-managed key',
  why: "The kit's bucket holds the updater's code and the version records: public or per-object access would let anyone read or swap what the updater runs.",
  fix: 'Set uniform_bucket_level_access = true, public_access_prevention = "enforced" and encryption { default_kms_key_name }.',
  publicIds: [],
  appliesTo: ['google_storage_bucket'],
  check: (b) => {
    const findings: Finding[] = [];
    const uniform = readBoolean(b.body.uniform_bucket_level_access);
    if (!(uniform.kind === 'literal' && uniform.value)) findings.push({ key: 'UniformAccess', message: 'uniform_bucket_level_access is not true (object ACLs possible)' });
    if (b.body.public_access_prevention !== 'enforced') findings.push({ key: 'PublicAccessPrevention', message: `public_access_prevention is ${JSON.stringify(b.body.public_access_prevention ?? 'inherited')}` });
    if (!isSet(block(b.body.encryption)?.default_kms_key_name)) findings.push({ key: 'Encryption', message: 'no encryption.default_kms_key_name (Google-managed key)' });
    return fromFindings(findings);
  },
};
