/** GCP-GKE-3 (CKV_GCP_69): pods get Google credentials only through Workload Identity, never the node's. */
import { block } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const GKE_WORKLOAD_IDENTITY: Rule = {
  id: 'GCP-GKE-3',
  title: 'GKE clusters use Workload Identity (the GKE metadata server)',
  why: 'Without Workload Identity every pod reads the node service account\'s token from the metadata server: one run could act as the node, and all runs share one identity.',
  fix: 'Set workload_identity_config.workload_pool = "<project>.svc.id.goog" (GkeCluster does; Autopilot enforces it).',
  publicIds: ['CKV_GCP_69'],
  appliesTo: ['google_container_cluster'],
  check: (c) => {
    const pool = block(c.body.workload_identity_config)?.workload_pool;
    if (typeof pool !== 'string' || pool === '') return nonCompliant('no workload_identity_config.workload_pool: pods read the node service account\'s credentials');
    const mode = block(block(c.body.node_config)?.workload_metadata_config)?.mode;
    if (mode !== undefined && mode !== 'GKE_METADATA') return nonCompliant(`node_config.workload_metadata_config.mode is ${JSON.stringify(mode)}: pods bypass the GKE metadata server`);
    return compliant();
  },
};
