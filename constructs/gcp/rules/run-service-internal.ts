/** GCP-RUN-3 (kit-only): a Cloud Run service, if any, takes internal traffic only; the kit prefers worker pools and jobs (no endpoint). */
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const RUN_SERVICE_INTERNAL: Rule = {
  id: 'GCP-RUN-3',
  title: 'Cloud Run services accept internal traffic only (worker pools and jobs preferred: no endpoint)',
  why: 'A runner serves nothing; an endpoint reachable from the internet is attack surface the design does not need.',
  fix: 'Use a worker pool (or a job); if a service is needed, set ingress = "INGRESS_TRAFFIC_INTERNAL_ONLY".',
  publicIds: [],
  appliesTo: ['google_cloud_run_v2_service'],
  check: (s) => (s.body.ingress === 'INGRESS_TRAFFIC_INTERNAL_ONLY' ? compliant() : nonCompliant(`ingress is ${JSON.stringify(s.body.ingress ?? 'INGRESS_TRAFFIC_ALL')}`)),
};
