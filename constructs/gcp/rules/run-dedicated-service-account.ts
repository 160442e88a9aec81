/** GCP-RUN-1 (CKV2_GCP_1): Cloud Run workloads run as a dedicated service account. */
import { block } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const RUN_DEDICATED_SERVICE_ACCOUNT: Rule = {
  id: 'GCP-RUN-1',
  title: 'Cloud Run workloads do not run as the default compute service account',
  why: "The default compute service account usually holds Editor on the project: a runner running as it could change anything the project holds.",
  fix: 'Set template.service_account to the workload\'s own account (CloudRunRunnerService and UpdatePipeline create one each).',
  publicIds: ['CKV2_GCP_1'],
  appliesTo: ['google_cloud_run_v2_worker_pool', 'google_cloud_run_v2_job', 'google_cloud_run_v2_service'],
  check: (r) => {
    const template = r.type === 'google_cloud_run_v2_job' ? block(block(r.body.template)?.template) : block(r.body.template);
    const account = template?.service_account;
    if (typeof account !== 'string' || account === '') return nonCompliant('no service_account: Cloud Run uses the default compute service account');
    if (/-compute@developer\.gserviceaccount\.com$/.test(account)) return nonCompliant(`service_account is the default compute account ${account}`);
    return compliant();
  },
};
