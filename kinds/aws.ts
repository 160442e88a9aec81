/**
 * The AWS target kinds: ECS on Fargate and EKS. The cloud's config (`constructs/aws/config.ts`)
 * is loaded eagerly (validation needs it); stacks, policy documents and the updater are required
 * on first use, so nothing loads the AWS provider bindings unless an AWS target is synthesized.
 */
import type { App } from 'cdktf';
import { checkAwsNameCollisions } from '../constructs/aws/config-limits';
import { AwsTargetSchema, checkAwsTarget, checkEcsTarget, checkEksTarget, type AwsTargetConfig } from '../constructs/aws/config';
import { ecsStackName, eksStackNames } from '../constructs/aws/aws-names';
import type { CloudDefinition, TargetKind, UpdaterEntry } from '../constructs/core/target-kind';

/** `runner-kit update` on AWS: the deployed updater's configuration, run with the caller's credentials. */
function awsUpdater(name: string, target: AwsTargetConfig): UpdaterEntry {
  return {
    run: async (payload, log, env) => {
      const { expectedUpdaterConfig } = require('../constructs/aws/config-limits') as typeof import('../constructs/aws/config-limits');
      const { runAwsUpdater } = require('../updater/entry/aws-updater') as typeof import('../updater/entry/aws-updater');
      const endpoint = target.aws?.endpoint;
      return runAwsUpdater(expectedUpdaterConfig(name, target), payload, {
        clients: endpoint === undefined ? {} : { endpoint, credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? 'emulator', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? 'emulator' } },
        log,
        // A dry run decides only; its report is the printed result, not a metric data point.
        ...(payload.action === 'check' ? { reporter: { report: async (r) => log(JSON.stringify(r)) } } : {}),
      });
    },
  };
}

export const AWS_ECS: TargetKind<AwsTargetConfig> = {
  cloud: 'aws',
  platform: 'ecs',
  kubernetes: false,
  check: checkEcsTarget,
  stackNames: (target) => [ecsStackName(target)],
  addStacks: (app: App, name, target) => {
    const { AwsEcsStack } = require('../stacks/aws-ecs-stack') as typeof import('../stacks/aws-ecs-stack');
    return [new AwsEcsStack(app, name, { target })];
  },
  updater: awsUpdater,
};

export const AWS_EKS: TargetKind<AwsTargetConfig> = {
  cloud: 'aws',
  platform: 'eks',
  kubernetes: true,
  check: checkEksTarget,
  stackNames: (target) => [eksStackNames(target).cluster, eksStackNames(target).workload],
  addStacks: (app: App, name, target) => {
    const { addAwsEksStacks } = require('../stacks/aws-eks-stacks') as typeof import('../stacks/aws-eks-stacks');
    return addAwsEksStacks(app, name, target);
  },
  updater: awsUpdater,
};

export const AWS: CloudDefinition<AwsTargetConfig> = {
  cloud: 'aws',
  targetSchema: AwsTargetSchema,
  check: checkAwsTarget,
  checkAcrossTargets: checkAwsNameCollisions,
  kinds: [AWS_ECS, AWS_EKS],
  policies: () => {
    const { generateTarget } = require('../constructs/aws/permissions/policy-documents') as typeof import('../constructs/aws/permissions/policy-documents');
    const { renderPolicyReadme } = require('../constructs/aws/permissions/auditor-readme') as typeof import('../constructs/aws/permissions/auditor-readme');
    return {
      folder: 'aws',
      documents: (config, target, source) => generateTarget(config, target, source),
      readme: (audited, banner) => renderPolicyReadme(audited as Parameters<typeof renderPolicyReadme>[0], banner),
    };
  },
};
