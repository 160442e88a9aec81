/**
 * How a runner on Azure Container Instances gets its key file and config file without a secret in
 * its container group (ACI's secure environment variables and secret volumes are written into the
 * group's ARM spec and into Terraform state). Pure (no cdktf).
 *
 * The group's init container `fetch-secrets` runs the runner's own image (its user, uid 2000; curl,
 * jq and base64 are in it) with the group's managed identity: it asks the instance metadata service
 * for a Key Vault token of the runner's identity, reads the runner's two secrets over the vault's
 * private endpoint, and writes, into an `emptyDir` shared with the runner (read-only there):
 * - the private key (PEM, decoded from the base64 the vault holds) as `private-key.pem`, mode 0400;
 * - the config file: the kit's settings (`RUNNER_CONFIG_YAML`, all five keys set, replacing the
 *   image's sample config with its sample key) plus `api.clientSecret`, mode 0400.
 * The runner reads the URL, client id and UUID from its environment (plain values), the secret from
 * the file. The extra trust material (public: `trust.caCertificates`, `trust.sshKnownHosts`) is
 * written to two more `emptyDir`s: the CA file where the image's entrypoint imports it from
 * (`/usr/local/share/ca-certificates`; ACI keeps the root filesystem writable, so its
 * `update-ca-certificates` can rebuild the bundle), the known hosts at `~/.ssh/known_hosts` (beside the
 * image's own list, which SSH_KNOWN_HOSTS names).
 *
 * Token and secret reads are retried for up to ~5 minutes: a new identity's role assignment and the
 * private endpoint's DNS record can take minutes to reach the group. The values are never printed.
 * Scripts use `$VAR`, never `${VAR}`, which Terraform would read as interpolation.
 */
import { LOCAL_CA_DIR, RUNNER_HOME } from '../core/runner-image';
import { EXTRA_CA_FILE_NAME, PRIVATE_KEY_FILE, RUNNER_CONFIG_FILE, RUNNER_CONFIG_YAML, RUNNER_FILES_PATH, SEED_ENV } from '../core/runner-volumes';

export { PRIVATE_KEY_FILE, RUNNER_CONFIG_FILE, RUNNER_CONFIG_YAML, RUNNER_FILES_PATH };

/** The init container's name and the runner container's (the updater changes both images, nothing else). */
export const INIT_CONTAINER = 'fetch-secrets';
export const RUNNER_CONTAINER = 'runner';
export const HEALTH_PORT = 8080;

/** Key Vault's data-plane API version the init step speaks. */
export const KEY_VAULT_API_VERSION = '7.4';
/** The instance metadata service's token endpoint (ACI serves managed-identity tokens there). */
export const IMDS_TOKEN_URL = 'http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net';

/** Environment of the init container: where to read, what to write (no secret among them). */
export const INIT_ENV = {
  vaultUri: 'KIT_VAULT_URI',
  clientId: 'KIT_IDENTITY_CLIENT_ID',
  apiClientSecretName: 'KIT_API_CLIENT_SECRET_NAME',
  privateKeyName: 'KIT_PRIVATE_KEY_NAME',
  runnerConfig: 'KIT_RUNNER_CONFIG_YAML',
  caCertificates: SEED_ENV.caCertificates,
  sshKnownHosts: SEED_ENV.sshKnownHosts,
} as const;

/** The group's volumes: name, where the init step writes, where the runner reads (read-only). */
export interface AciRunnerVolume {
  readonly name: string;
  readonly initPath: string;
  readonly runnerPath: string;
}

export function aciRunnerVolumes(o: { readonly caCertificates: boolean; readonly sshKnownHosts: boolean }): AciRunnerVolume[] {
  return [
    { name: 'runner-files', initPath: RUNNER_FILES_PATH, runnerPath: RUNNER_FILES_PATH },
    ...(o.caCertificates ? [{ name: 'extra-ca', initPath: '/kit/extra-ca', runnerPath: LOCAL_CA_DIR }] : []),
    ...(o.sshKnownHosts ? [{ name: 'ssh', initPath: '/kit/ssh', runnerPath: `${RUNNER_HOME}/.ssh` }] : []),
  ];
}

/** Paths the init script writes to (the group's mounts; tests use temporary ones). */
export interface FetchSecretsPaths {
  readonly files: string;
  readonly extraCa?: string;
  readonly ssh?: string;
}

export function fetchSecretsPaths(volumes: readonly AciRunnerVolume[]): FetchSecretsPaths {
  const at = (name: string) => volumes.find((v) => v.name === name)?.initPath;
  return { files: at('runner-files')!, ...(at('extra-ca') ? { extraCa: at('extra-ca')! } : {}), ...(at('ssh') ? { ssh: at('ssh')! } : {}) };
}

/**
 * The init container's script. `imdsUrl` is the token endpoint (tests point it at a fake); the
 * retry count and delay bound the wait for role assignments and DNS.
 */
export function fetchSecretsScript(p: FetchSecretsPaths, o: { readonly imdsUrl?: string; readonly attempts?: number; readonly delaySeconds?: number } = {}): string {
  const E = INIT_ENV;
  const attempts = o.attempts ?? 30;
  const delay = o.delaySeconds ?? 10;
  return [
    'set -eu',
    'umask 077',
    'fail() { echo "fetch-secrets: $1" >&2; exit 1; }',
    // Whatever happens, no raw secret or token stays behind (the runner reads only the two files below).
    `trap 'rm -f /tmp/kit-token ${p.files}/.kit-api ${p.files}/.kit-key' EXIT`,
    `retry() { n=0; until "$@"; do n=$((n+1)); [ "$n" -lt ${attempts} ] || return 1; sleep ${delay}; done; }`,
    `vault=$(printf '%s' "$${E.vaultUri}" | sed 's:/*$::')`,
    // The answer first, then jq: in a pipe, a failed curl would hand jq nothing and count as success.
    `token() { answer=$(curl -fsS --max-time 10 -H Metadata:true "${o.imdsUrl ?? IMDS_TOKEN_URL}&client_id=$${E.clientId}") && printf '%s' "$answer" | jq -jer .access_token > /tmp/kit-token; }`,
    `secret() { answer=$(curl -fsS --max-time 10 -H "Authorization: Bearer $(cat /tmp/kit-token)" "$vault/secrets/$1?api-version=${KEY_VAULT_API_VERSION}") && printf '%s' "$answer" | jq -jer .value > "$2"; }`,
    'retry token || fail "no Key Vault token from the managed identity (is the identity assigned to the group?)"',
    `retry secret "$${E.apiClientSecretName}" ${p.files}/.kit-api || fail "cannot read secret $${E.apiClientSecretName} from $${E.vaultUri} (private endpoint, DNS, role assignment?)"`,
    `retry secret "$${E.privateKeyName}" ${p.files}/.kit-key || fail "cannot read secret $${E.privateKeyName} from $${E.vaultUri}"`,
    'rm -f /tmp/kit-token',
    // The values go straight into the volume shared with the runner, never into a container layer.
    'empty() { echo "fetch-secrets: secret $1 is empty: deploy again with its TF_VAR_ input set and its version (apiClientSecretVersion / privateKeyVersion) bumped (README: Supplying secrets)" >&2; exit 1; }',
    `test -s ${p.files}/.kit-api || empty "$${E.apiClientSecretName}"`,
    `test -s ${p.files}/.kit-key || empty "$${E.privateKeyName}"`,
    `base64 -d < ${p.files}/.kit-key > ${p.files}/private-key.pem || fail "secret $${E.privateKeyName} is not base64 (the kit stores the PEM base64-encoded)"`,
    `{ printf '%s' "$${E.runnerConfig}"; printf 'api:\\n  clientSecret: '; jq -Rs . < ${p.files}/.kit-api; } > ${p.files}/runner-config.yml`,
    `rm -f ${p.files}/.kit-api ${p.files}/.kit-key`,
    `chmod 0400 ${p.files}/private-key.pem ${p.files}/runner-config.yml`,
    ...(p.extraCa !== undefined
      ? [
          `test -n "$${E.caCertificates}" || fail "${E.caCertificates} is empty"`,
          `printf '%s\\n' "$${E.caCertificates}" > ${p.extraCa}/${EXTRA_CA_FILE_NAME.replace(/\.pem$/, '.crt')}`,
          `chmod 0444 ${p.extraCa}/${EXTRA_CA_FILE_NAME.replace(/\.pem$/, '.crt')}`,
        ]
      : []),
    ...(p.ssh !== undefined
      ? [
          `test -n "$${E.sshKnownHosts}" || fail "${E.sshKnownHosts} is empty"`,
          `printf '%s\\n' "$${E.sshKnownHosts}" > ${p.ssh}/known_hosts`,
          `chmod 0444 ${p.ssh}/known_hosts`,
        ]
      : []),
    'echo "fetch-secrets: runner files ready"',
  ].join('\n');
}
