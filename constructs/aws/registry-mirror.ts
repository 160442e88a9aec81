/**
 * The kit's private image mirror on AWS: one ECR repository per upstream runner image. Runners pull
 * only from here; the updater promotes upstream releases into it by digest (see
 * `updater/adapters/oci/promote.ts`), so no third-party registry credential exists anywhere.
 *
 * Each repository: immutable tags (a release tag, once promoted, always names the same bytes;
 * CKV_AWS_51), scan on push (CKV_AWS_163), encryption with the target's KMS key (CKV_AWS_136), and
 * a lifecycle policy keeping the newest `keepReleases` release tags so rollbacks have somewhere to
 * go and storage stays bounded.
 */
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';
import { AwsContext } from './aws-context';
import type { IEncryptionKey, IRegistryMirror } from '../core/interfaces';

export interface RegistryMirrorProps {
  /** Repository name, e.g. `ecsexample/tf-block-runner`. */
  readonly repositoryName: string;
  /** Upstream repository this mirror holds, e.g. `ghcr.io/meshcloud/tf-block-runner` (for the description tag). */
  readonly upstreamImage: string;
  /** Encrypts the repository. */
  readonly key: IEncryptionKey;
  /**
   * Release tags kept; older ones expire.
   * @default 10 - enough history for rollbacks across several updates
   */
  readonly keepReleases?: number;
}

/** Lifecycle rules as ECR expects them; exported for tests. */
export function mirrorLifecyclePolicy(keepReleases: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Keep the newest ${keepReleases} release tags (v*); rollbacks need the previous ones.`,
        selection: { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: keepReleases },
        action: { type: 'expire' },
      },
    ],
  });
}

export class RegistryMirror extends Construct implements IRegistryMirror {
  readonly repositoryName: string;
  readonly repositoryArn: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` */
  readonly repositoryUrl: string;
  readonly upstreamImage: string;

  constructor(scope: Construct, id: string, props: RegistryMirrorProps) {
    super(scope, id);
    const keep = props.keepReleases ?? 10;
    if (!Number.isInteger(keep) || keep < 2) {
      throw new Error(`RegistryMirror ${props.repositoryName}: keepReleases ${keep} must be an integer >= 2 (a rollback needs the previous release)`);
    }
    const repo = new EcrRepository(this, 'Resource', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.key.keyReference }],
      // Everything in here can be promoted again from upstream; without this a destroy fails on
      // the first promoted image.
      forceDelete: true,
      tags: { 'runner-kit-upstream': props.upstreamImage },
    });
    new EcrLifecyclePolicy(this, 'Lifecycle', { repository: repo.name, policy: mirrorLifecyclePolicy(keep) });
    this.repositoryName = props.repositoryName;
    this.repositoryArn = AwsContext.of(this).arn('ecr', `repository/${props.repositoryName}`);
    this.repositoryUrl = repo.repositoryUrl;
    this.upstreamImage = props.upstreamImage;
  }
}
