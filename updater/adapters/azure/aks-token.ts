/**
 * The bearer token an AKS cluster with Entra ID integration accepts: an Entra access token for the
 * AKS server application (`6dae42f8-4368-4678-94ff-3960e28e3630`, the same in every tenant), issued
 * to the caller's identity (the updater's managed identity in Azure; `az login` for
 * `runner-kit update`). The API server validates it with Entra ID, then Azure RBAC decides (the
 * updater's role at `<cluster>/namespaces/<ns>`). What `kubelogin get-token --login msi` does.
 *
 * Azure-specific (Entra ID): the Kubernetes adapter takes any token provider; EKS signs its own.
 */
import type { TokenCredential } from '@azure/core-auth';
import type { TokenProvider } from '../kubernetes/kubernetes-client';

/** The Entra application of every AKS API server. */
export const AKS_SERVER_APPLICATION_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
/** The scope to ask Entra ID for. */
export const AKS_TOKEN_SCOPE = `${AKS_SERVER_APPLICATION_ID}/.default`;
/** A held token is renewed this long before it expires. */
export const TOKEN_RENEW_BEFORE_MS = 5 * 60 * 1000;

/**
 * A {@link TokenProvider} for `KubernetesClient`: asks `credential` for an AKS token when none is
 * held or the held one expires within {@link TOKEN_RENEW_BEFORE_MS}.
 */
export function aksTokenProvider(credential: TokenCredential, now: () => number = Date.now): TokenProvider {
  let held: { token: string; expiresOnTimestamp: number } | undefined;
  let pending: Promise<string> | undefined;
  return async () => {
    if (held !== undefined && held.expiresOnTimestamp - now() > TOKEN_RENEW_BEFORE_MS) return held.token;
    pending ??= (async () => {
      try {
        const answer = await credential.getToken(AKS_TOKEN_SCOPE);
        if (answer === null || answer.token === '') throw new Error(`Entra ID returned no token for the AKS server application (${AKS_TOKEN_SCOPE})`);
        held = { token: answer.token, expiresOnTimestamp: answer.expiresOnTimestamp };
        return answer.token;
      } finally {
        pending = undefined;
      }
    })();
    return pending;
  };
}
