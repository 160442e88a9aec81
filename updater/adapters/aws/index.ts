/**
 * AWS adapters of the updater: the runner's ECS service, the ECR mirror, the upstream release
 * source, the SSM version record and the CloudWatch report (log line and metric).
 */
export { CloudWatchReporter, DEFAULT_METRIC_NAMESPACE, OUTCOME_METRIC_NAME, REPORT_LOG_MESSAGE, reportLevel, type CloudWatchReporterOptions } from './cloudwatch-reporter';
export { EcrImageMirror, type EcrImageMirrorOptions, type UpstreamRepository } from './ecr-image-mirror';
export { EcsRunnerDeployment, RUNNER_CONTAINER_NAME, type EcsRunnerDeploymentOptions } from './ecs-runner-deployment';
export { assessRollout, shortArn, type RolloutAssessment, type RolloutObservations, type RolloutTracking } from './rollout-assessment';
export {
  SsmVersionStore,
  parseVersionRecord,
  versionRecordProblems,
  type SsmVersionStoreOptions,
} from './ssm-version-store';
export { VERSION_TAG_KEY, cloneTaskDefinitionWithImage, isMirrorImage, type TaskDefinitionImageChange } from './task-definition-clone';
export { UpstreamReleaseSource, type UpstreamReleaseSourceOptions } from './upstream-release-source';
