/**
 * tf-block-runner on a platform whose root filesystem is writable (Cloud Run: the container's
 * filesystem is writable and held in memory). The runner contract of `runner-volumes.ts` then
 * needs no volumes and no init containers: everything the image writes at run time (`/nix`,
 * `/home/meshcloud`, `/tmp`; `data/runner-image/tf-block-runner.json`) is writable as the image
 * ships it, owned by uid 2000, with the image's own content in place. What remains is one prelude
 * in the runner's own container, as uid 2000 without secrets in its script, before it execs the
 * image's entrypoint:
 *
 * - the kit's runner config file (`RUNNER_CONFIG_YAML`, all five keys) replaces the image's
 *   sample one, which carries a sample key and basic-auth user;
 * - the private key must be a non-empty file (the platform mounts it from the secret store); the
 *   runner would otherwise fall back silently to the sample config's key;
 * - extra CAs go where the image's own entrypoint looks (`/usr/local/share/ca-certificates`,
 *   0777 in the image): its `update-ca-certificates` then builds `/etc/ssl/certs/ca-certificates.crt`
 *   (0777 in the image) from the image's CAs plus these, the one bundle every TLS client reads;
 * - extra SSH known hosts are appended to `$HOME/.ssh/known_hosts`, beside the image's own list.
 *
 * What "in memory" means for sizing: every file a run writes (clone, providers, tofu binaries,
 * nix store additions) counts against the instance's memory, so `memoryMiB` is the budget for
 * the process and its files together.
 *
 * Scripts use `$VAR`, never `${VAR}`, which Terraform would read as interpolation.
 */
import { LOCAL_CA_DIR, RUNNER_ENTRYPOINT } from './runner-image';
import { EXTRA_CA_FILE_NAME, SCRATCH_PATH, SEED_ENV } from './runner-volumes';

/** Where the platform mounts the private key (a directory: platforms mount secrets as directories of files). */
export const WRITABLE_ROOT_KEY_DIR = '/run/runner-kit-key';
export const WRITABLE_ROOT_KEY_FILE_NAME = 'private-key.pem';
export const WRITABLE_ROOT_PRIVATE_KEY_FILE = `${WRITABLE_ROOT_KEY_DIR}/${WRITABLE_ROOT_KEY_FILE_NAME}`;
/** The kit's config file, written by the prelude. */
export const WRITABLE_ROOT_CONFIG_FILE = `${SCRATCH_PATH}/runner-kit/runner-config.yml`;
/** The extra CAs' file in the image's CA directory (`.crt`: what update-ca-certificates picks up). */
export const EXTRA_CA_CRT_NAME = EXTRA_CA_FILE_NAME.replace(/\.pem$/, '.crt');

/** Paths the prelude works on (the image's; tests use temporary ones). */
export interface WritableRootPaths {
  readonly configFile: string;
  readonly privateKeyFile: string;
  readonly localCaDir: string;
  /** The working and tool directories of the config file. */
  readonly scratch: string;
  /** What it execs at the end. */
  readonly entrypoint: readonly string[];
}

export const WRITABLE_ROOT_PATHS: WritableRootPaths = {
  configFile: WRITABLE_ROOT_CONFIG_FILE,
  privateKeyFile: WRITABLE_ROOT_PRIVATE_KEY_FILE,
  localCaDir: LOCAL_CA_DIR,
  scratch: SCRATCH_PATH,
  entrypoint: RUNNER_ENTRYPOINT,
};

/**
 * The prelude: run by `/bin/sh -c` as the runner's uid, with `RUNNER_CONFIG_YAML`, the API client
 * secret and (when configured) the trust material in its environment; it ends by exec'ing the
 * image's entrypoint, so the runner is the container's main process and receives SIGTERM itself.
 */
export function writableRootPrelude(o: { readonly extraCaCertificates: boolean; readonly sshKnownHosts: boolean }, p: WritableRootPaths = WRITABLE_ROOT_PATHS): string {
  const dir = p.configFile.slice(0, p.configFile.lastIndexOf('/'));
  return [
    'set -eu',
    'umask 022',
    'fail() { echo "runner-kit: $1" >&2; exit 1; }',
    `test -s ${p.privateKeyFile} || fail "the private key file ${p.privateKeyFile} is missing or empty: deploy again with its TF_VAR_ input set and privateKeyVersion bumped (README: Supplying secrets)"`,
    'test -n "$RUNNER_API_CLIENT_SECRET" || fail "RUNNER_API_CLIENT_SECRET is empty: deploy again with its TF_VAR_ input set and apiClientSecretVersion bumped (README: Supplying secrets)"',
    `mkdir -p ${dir} ${p.scratch}/runner/wd ${p.scratch}/runner/tfbin`,
    `printf '%s' "$RUNNER_CONFIG_YAML" > ${p.configFile}`,
    `chmod 0444 ${p.configFile}`,
    ...(o.extraCaCertificates
      ? [
          `test -n "$${SEED_ENV.caCertificates}" || fail "${SEED_ENV.caCertificates} is empty"`,
          `printf '%s\\n' "$${SEED_ENV.caCertificates}" > ${p.localCaDir}/${EXTRA_CA_CRT_NAME}`,
          `chmod 0644 ${p.localCaDir}/${EXTRA_CA_CRT_NAME}`,
        ]
      : []),
    ...(o.sshKnownHosts
      ? [
          `test -n "$${SEED_ENV.sshKnownHosts}" || fail "${SEED_ENV.sshKnownHosts} is empty"`,
          'mkdir -p "$HOME/.ssh"',
          'chmod 0700 "$HOME/.ssh"',
          `printf '%s\\n' "$${SEED_ENV.sshKnownHosts}" >> "$HOME/.ssh/known_hosts"`,
          'chmod 0644 "$HOME/.ssh/known_hosts"',
        ]
      : []),
    `unset RUNNER_CONFIG_YAML ${SEED_ENV.caCertificates} ${SEED_ENV.sshKnownHosts}`,
    `exec ${p.entrypoint.join(' ')}`,
  ].join('\n');
}
