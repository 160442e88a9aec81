/**
 * Every name the kit gives an AWS resource, by resource type, following the naming rule of
 * `constructs/core/naming.ts` (user-given names have no `-`; the kit joins parts with `-` or `/`).
 *
 * The stacks and constructs name their resources with these functions, and config validation
 * (`constructs/core/config/aws-limits.ts`) lists them all to check AWS's length and charset limits
 * and uniqueness before anything is synthesized. A test synthesizes the examples and a maximal
 * config and fails when a synthesized name is missing from `awsResourceNames`, so the list cannot
 * drift from what is deployed.
 *
 * Pure: no cdktf import (validation loads this file; the CLI's `validate` must stay fast).
 */
import { KIT_NAME, logGroupPrefix, mirrorRepositoryName } from '../core/naming';
import { CONTROLLER_APP } from '../kubernetes/labels';
import { mirroredImagesOf, releaseImagesOf } from '../kubernetes/release-images';

/** `<target>-<runner>`: the ECS service and task family of a runner; its roles and alarm derive from it. */
export const ecsServiceName = (target: string, runner: string) => `${target}-${runner}`;
/** Role names derive from the service name, so the updater's PassRole can name them before they exist. */
export const executionRoleName = (service: string) => `${service}-exec`;
export const taskRoleName = (service: string) => `${service}-task`;
/** Name of the "running tasks below desired" alarm (the updater's health gate names it up front). */
export const healthAlarmName = (service: string) => `${service}-running-tasks-below-desired`;
/** The runner's own word on meshStack (`runner-health-signal.ts`): its poll or login failures, and its silence. */
export const meshstackUnreachableAlarmName = (service: string) => `${service}-cannot-reach-meshstack`;
export const runnerSilentAlarmName = (service: string) => `${service}-not-polling`;
/** Metric filters are named per log group (unique within it, not account-wide). */
export const meshstackErrorsFilterName = (service: string, what: 'poll' | 'login') => `${service}-meshstack-${what}-failures`;
export const runnerHeartbeatFilterName = (service: string) => `${service}-poll-heartbeat`;

/** The updater function, its role, security group and schedule share this name. */
export const updaterName = (target: string) => `${target}-updater`;
export const updaterScheduleRoleName = (target: string) => `${updaterName(target)}-schedule`;
export const updaterErrorsAlarmName = (target: string) => `${updaterName(target)}-errors`;
export const updateOutcomeAlarmName = (target: string, runner: string, outcome: 'failed' | 'rolled-back') => `${target}-${runner}-update-${outcome}`;
/** SSM parameter name of a runner's version record. */
export const versionParameterName = (target: string, runner: string) => `/${KIT_NAME}/${target}/runners/${runner}/version`;

/** The updater function's description (Lambda allows 256 characters; validation checks it). */
export const updaterFunctionDescription = (target: string, channel: string, schedule: string) => `${KIT_NAME} updater of ${target}: channel ${channel}, schedule ${schedule}`;

export const operatorRoleName = (target: string) => `${target}-operator`;
export const alarmTopicName = (target: string) => `${target}-alarms`;
export const keyAlias = (target: string) => `${KIT_NAME}/${target}`;
export const controlPlaneLogKeyAlias = (target: string) => `${KIT_NAME}/${target}/eks-control-plane-logs`;
/** Name prefix of the network's resources (flow-log role, runner security group, `Name` tags). */
export const networkNamePrefix = (target: string) => target;
export const flowLogRoleName = (target: string) => `${networkNamePrefix(target)}-flow-logs`;
export const runnerSecurityGroupName = (target: string) => `${networkNamePrefix(target)}-runner`;
export const flowLogGroupName = (target: string) => `${logGroupPrefix(target)}vpc-flow-logs`;
export const updaterLogGroupName = (target: string) => `${logGroupPrefix(target)}updater`;
/** The runners' log groups share this prefix (the updater's configuration names it once, not per runner). */
export const runnerLogGroupPrefix = (target: string) => `${logGroupPrefix(target)}runners/`;
export const runnerLogGroupName = (target: string, runner: string) => `${runnerLogGroupPrefix(target)}${runner}`;
/** Secrets Manager name prefix of a runner's secrets (`<prefix>/api-client-secret`, ...). */
export const secretNamePrefix = (target: string, runner: string) => `${target}/${runner}`;
/** SSM path under which the versions written to a target's secrets are recorded (`WrittenVersions`). */
export const writtenVersionsPath = (target: string) => `/${KIT_NAME}/${target}/credentials/`;
/** The record of one written secret: `<path><runner>/<secret suffix>`. */
export const writtenVersionParameterName = (target: string, runner: string, suffix: string) => `${writtenVersionsPath(target)}${runner}/${suffix}`;
export const RUNNER_SECRET_SUFFIXES = ['api-client-secret', 'private-key'] as const;
export const EKS_CERTIFICATE_SECRET_SUFFIX = 'certificate';

/** Mirror repository of an upstream image (the kit's neutral rule, `constructs/core/naming.ts`). */
export { mirrorRepositoryName };

/** Stack names of a target: one on ECS; on EKS the cluster first, then the workload on it. */
export const ecsStackName = (target: string) => target;
export const eksStackNames = (target: string) => ({ cluster: `${target}-cluster`, workload: `${target}-workload` });
/** The permissions boundary policy of a stack: unique per stack, so two stacks of one target do not collide. */
export const boundaryPolicyName = (stack: string) => `${stack}-permissions-boundary`;

/** Names both EKS stacks derive from the config (the cluster is named after the target). */
export const eksNames = {
  cluster: (target: string) => target,
  clusterRole: (target: string) => `${target}-eks-cluster`,
  nodeRole: (target: string) => `${target}-eks-nodes`,
  launchTemplate: (target: string) => `${target}-eks-nodes`,
  nodeGroup: (target: string) => `${target}-default`,
  controlPlaneLogPrefix: (target: string) => `/aws/eks/${target}/`,
  controlPlaneLogGroup: (target: string) => `/aws/eks/${target}/cluster`,
  controller: (runner: string) => `${CONTROLLER_APP}-${runner}`,
  runnerRole: (target: string, runner: string) => `${target}-${runner}-runner`,
  secretPrefix: (target: string, runner: string) => secretNamePrefix(target, runner),
};

/** The parts of a target's config the names depend on (a subset of `TargetConfig`). */
export interface NamedTarget {
  readonly platform: string;
  readonly runners: Readonly<Record<string, { readonly image: string; readonly replicas: number }>>;
  readonly operatorAccess?: unknown;
  readonly kubernetes?: { readonly controllerImage: string; readonly implementations: readonly string[] };
}

/** The upstream images of a runner's release on EKS (`constructs/kubernetes/release-images.ts`). */
export const eksUpstreamImages = (t: NamedTarget, runner: string) => releaseImagesOf(t, runner);

/** Every distinct upstream image of the target: one mirror repository each. */
export const mirroredImages = (t: NamedTarget) => mirroredImagesOf(t);

/** AWS resource types the kit names, each with AWS's limits on the name. */
export type AwsNamedType =
  | 'iam-role'
  | 'iam-policy'
  | 'lambda-function'
  | 'scheduler-schedule'
  | 'cloudwatch-alarm'
  | 'log-group'
  | 'ecr-repository'
  | 'ecs-cluster'
  | 'ecs-service'
  | 'ecs-task-family'
  | 'kms-alias'
  | 'secret'
  | 'security-group'
  | 'sns-topic'
  | 'ssm-parameter'
  | 'eks-cluster'
  | 'eks-node-group'
  | 'launch-template'
  | 'stack';

export interface AwsResourceName {
  readonly type: AwsNamedType;
  readonly name: string;
  /** The runner the name derives from, when one does (validation reports the issue there). */
  readonly runner?: string;
}

/** Every name the stacks of `target` give AWS resources (see the header: tested against synthesis). */
export function awsResourceNames(target: string, t: NamedTarget): AwsResourceName[] {
  const out: AwsResourceName[] = [];
  const add = (type: AwsNamedType, name: string, runner?: string) => out.push({ type, name, ...(runner !== undefined ? { runner } : {}) });
  const eks = t.platform === 'eks';
  const stacks = eks ? [eksStackNames(target).cluster, eksStackNames(target).workload] : [ecsStackName(target)];
  stacks.forEach((s) => add('stack', s));
  // The permissions boundary exists in the stacks that create roles (not in the EKS workload stack).
  add('iam-policy', boundaryPolicyName(stacks[0]!));
  add('kms-alias', `alias/${keyAlias(target)}`);
  add('iam-role', flowLogRoleName(target));
  add('log-group', flowLogGroupName(target));
  add('security-group', runnerSecurityGroupName(target));
  add('sns-topic', alarmTopicName(target));
  add('lambda-function', updaterName(target));
  add('iam-role', updaterName(target));
  add('security-group', updaterName(target));
  add('log-group', updaterLogGroupName(target));
  add('scheduler-schedule', updaterName(target));
  add('iam-role', updaterScheduleRoleName(target));
  add('cloudwatch-alarm', updaterErrorsAlarmName(target));
  if (t.operatorAccess !== undefined) add('iam-role', operatorRoleName(target));
  for (const image of mirroredImages(t)) add('ecr-repository', mirrorRepositoryName(target, image));
  if (eks) {
    // (Without a kubernetes section validation reports that; the names of the rest still count.)
    add('kms-alias', `alias/${controlPlaneLogKeyAlias(target)}`);
    add('eks-cluster', eksNames.cluster(target));
    add('iam-role', eksNames.clusterRole(target));
    add('iam-role', eksNames.nodeRole(target));
    add('launch-template', eksNames.launchTemplate(target));
    add('eks-node-group', eksNames.nodeGroup(target));
    add('log-group', eksNames.controlPlaneLogGroup(target));
  } else {
    add('ecs-cluster', target);
  }
  for (const [runner, r] of Object.entries(t.runners)) {
    add('ssm-parameter', versionParameterName(target, runner), runner);
    add('cloudwatch-alarm', updateOutcomeAlarmName(target, runner, 'failed'), runner);
    add('cloudwatch-alarm', updateOutcomeAlarmName(target, runner, 'rolled-back'), runner);
    for (const suffix of RUNNER_SECRET_SUFFIXES) {
      add('secret', `${secretNamePrefix(target, runner)}/${suffix}`, runner);
      add('ssm-parameter', writtenVersionParameterName(target, runner, suffix), runner);
    }
    if (eks) {
      add('secret', `${secretNamePrefix(target, runner)}/${EKS_CERTIFICATE_SECRET_SUFFIX}`, runner);
      add('ssm-parameter', writtenVersionParameterName(target, runner, EKS_CERTIFICATE_SECRET_SUFFIX), runner);
      add('iam-role', eksNames.runnerRole(target, runner), runner);
    } else {
      const service = ecsServiceName(target, runner);
      add('ecs-service', service, runner);
      add('ecs-task-family', service, runner);
      add('iam-role', executionRoleName(service), runner);
      add('iam-role', taskRoleName(service), runner);
      add('log-group', runnerLogGroupName(target, runner), runner);
      if (r.replicas > 0) add('cloudwatch-alarm', healthAlarmName(service), runner);
      if (r.replicas > 0) add('cloudwatch-alarm', meshstackUnreachableAlarmName(service), runner);
      if (r.replicas > 0) add('cloudwatch-alarm', runnerSilentAlarmName(service), runner);
    }
  }
  return out;
}
