/**
 * The bearer token EKS accepts from an IAM principal (what `aws eks get-token` prints): the
 * prefix `k8s-aws-v1.` and the base64url (no padding) of a presigned STS GetCallerIdentity URL
 * whose signed headers include `x-k8s-aws-id: <cluster name>`. The cluster's authenticator calls
 * STS with it to learn the caller's ARN, then maps that ARN to Kubernetes groups (the kit's EKS
 * access entry puts the updater's role in the updater group).
 *
 * The URL is signed for 60 seconds (`X-Amz-Expires=60`, as aws-iam-authenticator and the AWS CLI
 * do); EKS accepts such a token for 15 minutes after `X-Amz-Date`, and the CLI reports it valid
 * for 14. {@link eksTokenProvider} therefore reuses a token for at most 10 minutes.
 *
 * AWS-specific (IAM credentials, STS): the Kubernetes adapter takes any token provider; AKS and GKE
 * bring their own.
 */
import { presignUrl, type AwsCredentials } from './sigv4-presign';
import type { TokenProvider } from '../kubernetes/kubernetes-client';

export const EKS_TOKEN_PREFIX = 'k8s-aws-v1.';
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';
/** What aws-iam-authenticator and `aws eks get-token` sign the URL for. */
export const PRESIGN_EXPIRES_SECONDS = 60;
/** How long {@link eksTokenProvider} reuses a token: well inside the 15 minutes EKS accepts it. */
export const TOKEN_REUSE_MS = 10 * 60 * 1000;

export interface EksTokenOptions {
  /** The EKS cluster name (not its ARN), e.g. `acme-prod`. */
  readonly clusterName: string;
  /** The cluster's region; STS is called at its regional endpoint there. */
  readonly region: string;
  /** Returns the caller's credentials, e.g. the Lambda role's from its environment. Called per token. */
  readonly credentials: () => Promise<AwsCredentials>;
  /**
   * The STS host.
   * @default `sts.<region>.amazonaws.com` (`.amazonaws.com.cn` in the China regions)
   */
  readonly stsHost?: string;
  /** Clock, for tests. @default - the system clock */
  readonly now?: () => Date;
}

/** One token, signed now. */
export async function eksToken(options: EksTokenOptions): Promise<string> {
  if (!/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(options.clusterName)) {
    throw new Error(`clusterName "${options.clusterName}" is not an EKS cluster name; pass the name (letters, digits, "-", "_"), not the ARN or endpoint`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(options.region)) throw new Error(`region "${options.region}" is not an AWS region, e.g. eu-central-1`);
  const host = options.stsHost ?? `sts.${options.region}.amazonaws.com${options.region.startsWith('cn-') ? '.cn' : ''}`;
  const url = await presignUrl({
    method: 'GET',
    host,
    path: '/',
    query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
    headers: { [CLUSTER_ID_HEADER]: options.clusterName },
    service: 'sts',
    region: options.region,
    credentials: await options.credentials(),
    date: (options.now ?? (() => new Date()))(),
    expiresSeconds: PRESIGN_EXPIRES_SECONDS,
  });
  return EKS_TOKEN_PREFIX + Buffer.from(url, 'utf8').toString('base64url');
}

/**
 * A {@link TokenProvider} for `KubernetesClient`: signs a token when none is held or the held one
 * is {@link TOKEN_REUSE_MS} old, so the credentials provider is consulted about every ten minutes.
 */
export function eksTokenProvider(options: EksTokenOptions): TokenProvider {
  const now = options.now ?? (() => new Date());
  let held: { token: string; signedAt: number } | undefined;
  return async () => {
    const at = now().getTime();
    if (held === undefined || at - held.signedAt >= TOKEN_REUSE_MS || at < held.signedAt) {
      held = { token: await eksToken({ ...options, now: () => new Date(at) }), signedAt: at };
    }
    return held.token;
  };
}
