/** AWS-ECS-6 (CKV_AWS_65): ECS clusters have Container Insights. */
import { blocks } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const ECS_CONTAINER_INSIGHTS: Rule = {
  id: 'AWS-ECS-6',
  title: 'ECS clusters have Container Insights',
  why: 'Container Insights provides the task metrics the runner alarms watch (RunningTaskCount); without it a runner that stopped polling goes unnoticed.',
  fix: 'Add setting { name = "containerInsights", value = "enabled" } (or "enhanced") to the cluster.',
  publicIds: ['CKV_AWS_65'],
  appliesTo: ['aws_ecs_cluster'],
  check: (cluster) => {
    const settings = blocks(cluster.body.setting).filter((s) => s.name === 'containerInsights');
    if (settings.length === 0) return nonCompliant('no containerInsights setting (the account default is usually disabled)');
    const off = settings.filter((s) => s.value !== 'enabled' && s.value !== 'enhanced');
    return off.length === 0 ? compliant() : nonCompliant(off.map((s) => `setting containerInsights is ${JSON.stringify(s.value)}`).join('; '));
  },
};
