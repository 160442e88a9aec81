/** GCP-GKE-7 (kit-only): Kubernetes Secrets are encrypted at the application layer with a customer-managed key. */
import { block } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const GKE_SECRETS_CMEK: Rule = {
  id: 'GCP-GKE-7',
  title: 'Kubernetes Secrets are encrypted with the target\'s Cloud KMS key',
  why: 'The runners\' credentials live in Kubernetes Secrets; application-layer encryption with the customer\'s key means etcd backups and snapshots hold ciphertext the customer can revoke.',
  fix: 'Set database_encryption { state = "ENCRYPTED", key_name = <the target key> } and grant the GKE service agent use of the key (GkeCluster does).',
  publicIds: [],
  appliesTo: ['google_container_cluster'],
  check: (c) => {
    const d = block(c.body.database_encryption);
    if (d?.state === 'ENCRYPTED' && typeof d.key_name === 'string' && d.key_name !== '') return compliant();
    return nonCompliant(d === undefined ? 'no database_encryption: Secrets are encrypted only with Google-managed keys' : `database_encryption is ${JSON.stringify(d)}`);
  },
};
