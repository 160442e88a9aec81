/** GCP-IAM-6 (CKV2_GCP_3): no user-managed service account keys. */
import { nonCompliant, type Rule } from '../../core/rules/rule';

export const IAM_NO_SERVICE_ACCOUNT_KEYS: Rule = {
  id: 'GCP-IAM-6',
  title: 'No user-managed service account keys',
  why: 'A downloaded key is a long-lived credential that works from anywhere and lands in Terraform state; workloads get tokens from the metadata server, people impersonate.',
  fix: 'Remove the key; use the workload\'s attached service account or impersonation.',
  publicIds: ['CKV2_GCP_3'],
  appliesTo: ['google_service_account_key'],
  check: () => nonCompliant('a user-managed key is created for a service account'),
};
