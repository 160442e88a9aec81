/** GCP-GKE-5 (CKV_GCP_66): Binary Authorization checks every image against the project's policy. */
import { block } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const GKE_BINARY_AUTHORIZATION: Rule = {
  id: 'GCP-GKE-5',
  title: 'GKE clusters enforce Binary Authorization',
  why: 'Binary Authorization lets the project decide which images may run (e.g. only from the private mirror, or only attested ones); without it any image a pod names is pulled and run.',
  fix: 'Set binary_authorization.evaluation_mode = "PROJECT_SINGLETON_POLICY_ENFORCE" (GkeCluster does) and keep the project\'s policy strict.',
  publicIds: ['CKV_GCP_66'],
  appliesTo: ['google_container_cluster'],
  check: (c) => {
    const b = block(c.body.binary_authorization);
    if (b?.evaluation_mode === 'PROJECT_SINGLETON_POLICY_ENFORCE' || (b?.evaluation_mode === undefined && b?.enabled === true)) return compliant();
    return nonCompliant(b === undefined ? 'no binary_authorization: every image runs unchecked' : `binary_authorization.evaluation_mode is ${JSON.stringify(b.evaluation_mode)}: images are not checked against the project policy`);
  },
};
