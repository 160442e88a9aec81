/**
 * A release of an upstream image as it sits in the kit's private mirror (ECR, `RegistryMirror`),
 * resolved to `<repository URL>@<digest>` at plan time, so what Kubernetes runs is always a
 * digest from the customer's own registry, never a tag and never a third-party registry.
 * The release must have been promoted into the mirror (the updater does this); a missing one
 * fails the plan with ECR's "image not found", before anything changes.
 */
import { DataAwsEcrImage } from '@cdktf/provider-aws/lib/data-aws-ecr-image';
import { DataAwsEcrRepository } from '@cdktf/provider-aws/lib/data-aws-ecr-repository';
import { Construct } from 'constructs';

/** The mirror repository of an upstream image: `<target>/<last path segment>` (as the ECS stack names them). */
export { mirrorRepositoryName } from './aws-names';

export interface MirrorImageProps {
  readonly repositoryName: string;
  /** Release tag, vX.Y.Z. */
  readonly tag: string;
}

export class MirrorImage extends Construct {
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>@sha256:<digest>` */
  readonly reference: string;
  readonly digest: string;

  constructor(scope: Construct, id: string, props: MirrorImageProps) {
    super(scope, id);
    if (!/^v\d+\.\d+\.\d+$/.test(props.tag)) throw new Error(`mirror image ${props.repositoryName}: tag "${props.tag}" is not a release tag vX.Y.Z`);
    const repository = new DataAwsEcrRepository(this, 'Repository', { name: props.repositoryName });
    const image = new DataAwsEcrImage(this, 'Resource', { repositoryName: props.repositoryName, imageTag: props.tag });
    this.digest = image.imageDigest;
    this.reference = `${repository.repositoryUrl}@${image.imageDigest}`;
  }
}
