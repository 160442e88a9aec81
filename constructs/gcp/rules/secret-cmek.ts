/** GCP-SM-1 (kit-only, after CKV_AWS_149): secrets are replicated with a customer-managed key, in chosen locations. */
import { block, blocks, isSet } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const SECRET_CMEK: Rule = {
  id: 'GCP-SM-1',
  title: "Secret Manager secrets use user-managed replication with the target's key",
  why: "The runner's private key and API secret must be under a key the customer controls, and stay in the target's region.",
  fix: 'Set replication { user_managed { replicas { location, customer_managed_encryption { kms_key_name } } } }.',
  publicIds: [],
  appliesTo: ['google_secret_manager_secret'],
  check: (s) => {
    const managed = block(block(s.body.replication)?.user_managed);
    if (managed === undefined) return nonCompliant('replication is automatic (Google chooses locations and encrypts with its own key)');
    const replicas = blocks(managed.replicas);
    const plain = replicas.filter((r) => !isSet(block(r.customer_managed_encryption)?.kms_key_name));
    return replicas.length > 0 && plain.length === 0 ? compliant() : nonCompliant(`${plain.length} replica(s) without customer_managed_encryption`);
  },
};
