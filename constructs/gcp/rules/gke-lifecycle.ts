/** GCP-GKE-8 (kit-only): clusters follow a release channel, upgrade only in a maintenance window, and are protected from deletion. */
import { block } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const GKE_LIFECYCLE: Rule = {
  id: 'GCP-GKE-8',
  title: 'GKE clusters follow a release channel, upgrade in a maintenance window, and have deletion protection',
  why: 'A release channel keeps the control plane and nodes patched; a maintenance window keeps those upgrades away from working hours; deletion protection keeps one mistaken destroy from taking the runners and their credentials away.',
  fix: 'Set release_channel.channel (RAPID, REGULAR or STABLE), maintenance_policy (a daily or recurring window) and deletion_protection = true (GkeCluster does; gcp.gke configures channel and window).',
  publicIds: [],
  appliesTo: ['google_container_cluster'],
  check: (c) => {
    const findings: Finding[] = [];
    const channel = block(c.body.release_channel)?.channel;
    if (typeof channel !== 'string' || channel === 'UNSPECIFIED') findings.push({ key: 'ReleaseChannel', message: `release_channel is ${JSON.stringify(channel ?? 'not set')}: upgrades are not managed by a channel` });
    const m = block(c.body.maintenance_policy);
    if (m === undefined || (block(m.daily_maintenance_window) === undefined && block(m.recurring_window) === undefined)) findings.push({ key: 'MaintenanceWindow', message: 'no maintenance_policy window: upgrades may happen at any time' });
    if (c.body.deletion_protection === false) findings.push({ key: 'DeletionProtection', message: 'deletion_protection is false: a destroy removes the cluster' });
    return fromFindings(findings);
  },
};
