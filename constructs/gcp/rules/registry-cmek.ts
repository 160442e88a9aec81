/** GCP-AR-1 (CKV_GCP_84): Artifact Registry repositories are encrypted with a customer-managed key. */
import { isSet } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const REGISTRY_CMEK: Rule = {
  id: 'GCP-AR-1',
  title: 'Artifact Registry repositories use a customer-managed key',
  why: "The mirror holds exactly what the runners execute; with the target's key the customer controls (and can revoke) access to it.",
  fix: 'Set kms_key_name to the target key (MirrorRegistry does, after granting the Artifact Registry service agent).',
  publicIds: ['CKV_GCP_84'],
  appliesTo: ['google_artifact_registry_repository'],
  check: (r) => (isSet(r.body.kms_key_name) ? compliant() : nonCompliant('kms_key_name is unset (Google-managed encryption)')),
};
