/**
 * The kit's private image mirror on GCP: one Artifact Registry Docker repository per target (its
 * id is the target's name), encrypted with the target's key (the Artifact Registry service agent
 * is granted the key first: the key is fixed at creation), immutable tags, and a cleanup policy
 * keeping the `keepReleases` newest versions of each package. Each mirrored upstream image is one
 * package of it: `<region>-docker.pkg.dev/<project>/<target>/<last path segment>`, the same
 * `<target>/<image>` repository name as on every cloud.
 *
 * Artifact Registry cannot import from ghcr.io: releases are copied in by digest through the OCI
 * distribution API by the updater (`updater/adapters/oci`), with an OAuth access token.
 */
import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { Construct } from 'constructs';
import type { IRegistryMirror } from '../core/interfaces';
import { mirrorRepositoryName } from '../core/naming';
import { GcpContext } from './gcp-context';
import { mirrorRegistryRepositoryId, mirrorRegistryUrl } from './gcp-names';
import type { RunnerKey } from './runner-key';

export interface MirrorRegistryProps {
  readonly target: string;
  readonly key: RunnerKey;
  /** Versions kept per package. */
  readonly keepReleases: number;
}

export class MirrorRegistry extends Construct {
  readonly repositoryId: string;
  /** `projects/<p>/locations/<r>/repositories/<id>`. */
  readonly repositoryName: string;
  /** `<region>-docker.pkg.dev/<project>/<target>`. */
  readonly registryUrl: string;
  /** The repository resource (what promotion and pulls wait for). */
  readonly resource: ArtifactRegistryRepository;
  private readonly target: string;

  constructor(scope: Construct, id: string, props: MirrorRegistryProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const agentGrant = props.key.grantEncryptDecrypt('ArtifactRegistry', ctx.serviceAgent('gcp-sa-artifactregistry.iam.gserviceaccount.com'));
    const repository = new ArtifactRegistryRepository(this, 'Resource', {
      project: ctx.projectId,
      location: ctx.region,
      repositoryId: mirrorRegistryRepositoryId(props.target),
      description: `private-runner-kit ${props.target}: the runners' private mirror (promoted by digest; runners pull only from here)`,
      format: 'DOCKER',
      mode: 'STANDARD_REPOSITORY',
      kmsKeyName: props.key.keyReference,
      dockerConfig: { immutableTags: true },
      cleanupPolicyDryRun: false,
      cleanupPolicies: [
        { id: 'keep-newest-releases', action: 'KEEP', mostRecentVersions: { keepCount: props.keepReleases } },
        { id: 'expire-older-releases', action: 'DELETE', condition: { tagState: 'ANY', olderThan: '0s' } },
      ],
      dependsOn: [...ctx.apis, agentGrant],
    });
    this.resource = repository;
    this.target = props.target;
    this.repositoryId = mirrorRegistryRepositoryId(props.target);
    this.repositoryName = repository.id;
    this.registryUrl = mirrorRegistryUrl(ctx.region, ctx.projectId, props.target);
  }

  /** The mirror of one upstream image: a package of this repository. */
  mirrorOf(upstreamImage: string): IRegistryMirror {
    const repositoryName = mirrorRepositoryName(this.target, upstreamImage);
    return { upstreamImage, repositoryName, repositoryUrl: `${this.registryUrl}/${repositoryName.slice(this.target.length + 1)}` };
  }
}
