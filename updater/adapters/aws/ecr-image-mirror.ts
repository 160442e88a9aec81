/**
 * The kit's ECR repository as the updater's {@link ImageMirror}: a release is copied from upstream
 * (anonymously, e.g. ghcr.io) into ECR by digest through the OCI distribution API, with a fresh
 * GetAuthorizationToken credential per promotion, and tagged with its version. ECR tags are
 * immutable; a tag already on the same digest is success (a repeated or interrupted run).
 */
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { ImageMirror } from '../../core/ports';
import { basicAuthFromEcrToken } from '../oci/auth';
import { assertDigest } from '../oci/digest';
import { promote, type PlatformSelection } from '../oci/promote';
import { assertRepository, isTag } from '../oci/reference';
import { OciRegistryClient, type OciRegistryClientOptions } from '../oci/registry-client';

/** Where releases are copied from. */
export interface UpstreamRepository {
  /** Registry origin, e.g. `https://ghcr.io`. */
  readonly registryUrl: string;
  /** e.g. `meshcloud/tf-block-runner`. */
  readonly repository: string;
}

export interface EcrImageMirrorOptions {
  readonly ecr: ECRClient;
  /** The public upstream repository; read anonymously, so no third-party credential is needed. */
  readonly upstream: UpstreamRepository;
  /** The ECR repository's name, e.g. `private-runner-kit/<target>/tf-block-runner`. */
  readonly mirrorRepository: string;
  /**
   * The mirror registry's host, e.g. `123456789012.dkr.ecr.eu-central-1.amazonaws.com` (the host
   * part of the repository URL Terraform outputs). When set, {@link EcrImageMirror.imageReference}
   * works before any promotion, and a promotion fails if GetAuthorizationToken names another
   * registry.
   * @default - the host of GetAuthorizationToken's proxyEndpoint (or of registryUrlOverride), known
   * after {@link EcrImageMirror.connect} or the first promote(); imageReference throws before that
   */
  readonly registryHost?: string;
  /**
   * Push to this registry origin instead of GetAuthorizationToken's proxyEndpoint. For tests with
   * a registry on loopback (`http://127.0.0.1:<port>`); the ECR credential is still fetched, and
   * sent only if that registry challenges for it.
   * @default - the proxyEndpoint ECR returns
   */
  readonly registryUrlOverride?: string;
  /**
   * What to copy of a multi-platform release.
   * @default 'all' - the upstream index unchanged, so the mirror digest equals upstream's and
   * upstream signatures still apply
   */
  readonly platforms?: PlatformSelection;
  /** Timeouts and retries of the registry clients. @default - OciRegistryClient's defaults */
  readonly clientOptions?: Omit<OciRegistryClientOptions, 'auth'>;
}

export class EcrImageMirror implements ImageMirror {
  private readonly ecr: ECRClient;
  private readonly upstream: UpstreamRepository;
  private readonly mirrorRepository: string;
  private readonly registryUrlOverride: string | undefined;
  private readonly platforms: PlatformSelection;
  private readonly clientOptions: Omit<OciRegistryClientOptions, 'auth'>;
  private readonly configuredHost: string | undefined;
  private learnedHost: string | undefined;

  /**
   * A mirror whose registry host is known at once: unless `registryHost` or `registryUrlOverride`
   * names it, one GetAuthorizationToken call learns it. Use this when {@link imageReference} may be
   * called before any promotion (a repeated bootstrap references the recorded digest unpromoted).
   */
  static async connect(options: EcrImageMirrorOptions): Promise<EcrImageMirror> {
    const mirror = new EcrImageMirror(options);
    if (mirror.configuredHost === undefined && mirror.learnedHost === undefined) {
      mirror.learnedHost = new URL((await mirror.authorization()).registryUrl).host;
    }
    return mirror;
  }

  constructor(options: EcrImageMirrorOptions) {
    assertRepository(options.upstream.repository);
    assertRepository(options.mirrorRepository);
    if (options.registryHost !== undefined && !/^[A-Za-z0-9.-]+(?::\d+)?$/.test(options.registryHost)) {
      throw new Error(
        `registryHost "${options.registryHost}" is not a registry host; use host[:port] without scheme or path, e.g. 123456789012.dkr.ecr.eu-central-1.amazonaws.com`,
      );
    }
    this.ecr = options.ecr;
    this.upstream = options.upstream;
    this.mirrorRepository = options.mirrorRepository;
    this.registryUrlOverride = options.registryUrlOverride;
    this.platforms = options.platforms ?? 'all';
    this.clientOptions = options.clientOptions ?? {};
    this.configuredHost = options.registryHost;
    // Fail at construction on a bad URL rather than in the middle of a run.
    new OciRegistryClient(options.upstream.registryUrl, this.clientOptions);
    if (options.registryUrlOverride !== undefined) this.learnedHost = new URL(new OciRegistryClient(options.registryUrlOverride).baseUrl).host;
  }

  /**
   * Copies upstream `version` (a tag) into the mirror by digest, tags it `version`, and returns the
   * promoted digest. Idempotent: blobs and manifests already in ECR are skipped; the tag already on
   * the same digest is success, on another digest a `TagConflictError`.
   */
  async promote(version: string): Promise<string> {
    if (!isTag(version)) throw new Error(`version "${version}" is not a valid tag; expected an upstream release tag such as v1.3.0`);
    const { registryUrl, token } = await this.authorization();
    const source = new OciRegistryClient(this.upstream.registryUrl, this.clientOptions);
    const target = new OciRegistryClient(this.registryUrlOverride ?? registryUrl, { ...this.clientOptions, auth: basicAuthFromEcrToken(token) });
    if (this.registryUrlOverride === undefined) {
      const host = new URL(target.baseUrl).host;
      if (this.configuredHost !== undefined && this.configuredHost !== host) {
        throw new Error(
          `ECR GetAuthorizationToken names registry ${host}, but registryHost is ${this.configuredHost}; images would be referenced in another registry ` +
            'than they are pushed to: set registryHost to the mirror repository URL\'s host, or run the updater with credentials of the mirror\'s account',
        );
      }
      this.learnedHost = host;
    }
    const result = await promote({
      source: { client: source, repository: this.upstream.repository, reference: version },
      target: { client: target, repository: this.mirrorRepository, tag: version },
      platforms: this.platforms,
    });
    return result.digest;
  }

  /** `<registry host>/<mirrorRepository>@<digest>`, the reference a runner's task definition uses. */
  imageReference(digest: string): string {
    assertDigest(digest, 'mirror image digest');
    const host = this.configuredHost ?? this.learnedHost;
    if (host === undefined) {
      throw new Error(
        `the registry host of mirror ${this.mirrorRepository} is not known before the first promote(); ` +
          'set registryHost (the host of the repository URL Terraform outputs) to reference images without promoting',
      );
    }
    return `${host}/${this.mirrorRepository}@${digest}`;
  }

  private async authorization(): Promise<{ registryUrl: string; token: string }> {
    const answer = await this.ecr.send(new GetAuthorizationTokenCommand({}));
    const data = answer.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint) {
      throw new Error('ECR GetAuthorizationToken answered without authorizationToken and proxyEndpoint; cannot push to the mirror');
    }
    return { registryUrl: data.proxyEndpoint, token: data.authorizationToken };
  }
}
