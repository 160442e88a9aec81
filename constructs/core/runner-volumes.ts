/**
 * tf-block-runner on a platform with a read-only root filesystem (ECS Fargate today): the writable
 * volumes the image needs and the two init steps that prepare them. Pure (no cdktf): a platform
 * maps these onto its own containers and volumes.
 *
 * What the image writes at run time (meshcloud/building-block-runner v1.3.0, `tf-block-runner/`;
 * the facts with their source lines are in `data/runner-image/tf-block-runner.json`):
 * - `/nix` (nix store and database; `nix profile add` is the documented way to add tools,
 *   Dockerfile:41-43) and `/home/meshcloud` (PATH is baked as `/home/meshcloud/.nix-profile/bin`,
 *   Dockerfile:58, and nix keeps its profiles and cache under HOME, so HOME must stay there):
 *   both start as copies of the image's own content, owned by uid 2000;
 * - `/tmp`: the runner's working and tool directories (its config file names them) and temporary files;
 * - `/etc/ssl/certs`, only with extra trusted CAs: the bundle every TLS client in the image reads.
 *
 * 1. `volume-init` runs as root with only CAP_CHOWN and the runner's secrets: writes the key file
 *    and config file, and hands every volume to uid 2000 (Fargate volumes start root-owned 0755).
 * 2. `seed` runs as uid 2000 with no capabilities and no secrets: copies the image's `/nix` and
 *    HOME into their volumes (the image has no VOLUME directive, so Fargate copies nothing itself),
 *    builds the CA bundle (the image's bundle plus the configured CAs) and adds the configured SSH
 *    known hosts to `~/.ssh/known_hosts` (kept beside the image's own list, which SSH_KNOWN_HOSTS
 *    names).
 *
 * Scripts use `$VAR`, never `${VAR}`, which Terraform would read as interpolation.
 */
import { RUNNER_HOME, RUNNER_UID, SYSTEM_CA_BUNDLE_NAME } from './runner-image';
import { RUNNER_RUN_TIMEOUT_MINUTES } from './runner-settings';

/** Task-local volume holding the key file and the runner config file, read-only for the runner. */
export const RUNNER_FILES_PATH = '/run/runner-kit';
export const PRIVATE_KEY_FILE = `${RUNNER_FILES_PATH}/private-key.pem`;
export const RUNNER_CONFIG_FILE = `${RUNNER_FILES_PATH}/runner-config.yml`;
export const SCRATCH_PATH = '/tmp';
/** Where `seed` sees the volumes it fills (the image's own paths stay visible to it). */
export const SEED_ROOT = '/seed';
/** The file in the CA bundle volume holding the configured CAs alone (for SSL_CERT_DIR readers). */
export const EXTRA_CA_FILE_NAME = 'private-runner-kit-extra-ca.pem';
/** Environment of the `seed` step: the trust material (public, not secret). */
export const SEED_ENV = { caCertificates: 'KIT_EXTRA_CA_CERTIFICATES', sshKnownHosts: 'KIT_SSH_KNOWN_HOSTS' } as const;

/**
 * tf-block-runner's settings that are not secret. Written to a file the runner reads instead of
 * the image's default /app/runner-config.yml, which carries a sample key and basic-auth user. The
 * code has no defaults: an omitted timeout is 0 (every run times out at once), so all are set.
 */
export const RUNNER_CONFIG_YAML = [
  `workingDir: ${SCRATCH_PATH}/runner/wd`,
  `tfInstallDir: ${SCRATCH_PATH}/runner/tfbin`,
  `timeoutMins: ${RUNNER_RUN_TIMEOUT_MINUTES}`,
  'wsTimeoutMins: 5',
  'initTimeoutMins: 3',
  '',
].join('\n');

/** One writable volume of the runner. */
export interface RunnerVolume {
  /** The volume's name in the task. */
  readonly name: string;
  /** Where the runner sees it. */
  readonly runnerPath: string;
  /** Read-only for the runner. */
  readonly readOnlyForRunner: boolean;
  /** Where `seed` sees it (filling it from the image's `runnerPath`), if it takes part. */
  readonly seedPath?: string;
}

export interface RunnerVolumeOptions {
  /** Extra trusted CAs are configured: the runner gets a CA bundle volume at /etc/ssl/certs. */
  readonly extraCaCertificates: boolean;
}

/** The runner's volumes, in a stable order. */
export function runnerVolumes(o: RunnerVolumeOptions): RunnerVolume[] {
  return [
    { name: 'scratch', runnerPath: SCRATCH_PATH, readOnlyForRunner: false },
    { name: 'runner-files', runnerPath: RUNNER_FILES_PATH, readOnlyForRunner: true },
    { name: 'nix', runnerPath: '/nix', readOnlyForRunner: false, seedPath: `${SEED_ROOT}/nix` },
    { name: 'home', runnerPath: RUNNER_HOME, readOnlyForRunner: false, seedPath: `${SEED_ROOT}/home` },
    ...(o.extraCaCertificates ? [{ name: 'ca-certificates', runnerPath: '/etc/ssl/certs', readOnlyForRunner: true, seedPath: `${SEED_ROOT}/certs` }] : []),
  ];
}

/** Paths `volume-init` works on (the task's mount points; tests use temporary ones). */
export interface VolumeInitPaths {
  readonly scratch: string;
  readonly files: string;
  /** The seeded volumes as `volume-init` sees them: handed to uid 2000 before `seed` fills them. */
  readonly seeded: readonly string[];
}

/** `volume-init`'s paths for `volumes` as mounted in the task. */
export function volumeInitPaths(volumes: readonly RunnerVolume[]): VolumeInitPaths {
  return { scratch: SCRATCH_PATH, files: RUNNER_FILES_PATH, seeded: volumes.flatMap((v) => (v.seedPath !== undefined ? [v.seedPath] : [])) };
}

/**
 * Run by `volume-init` as root with only CAP_CHOWN: refuses empty secrets, writes the key and
 * config files, then hands everything to the runner's uid. Modes are set before ownership changes
 * (no CAP_FOWNER).
 */
export function volumeInitScript(p: VolumeInitPaths): string {
  const key = `${p.files}/private-key.pem`;
  const config = `${p.files}/runner-config.yml`;
  return [
    'set -eu',
    'umask 077',
    'empty() { echo "volume-init: secret $1 is empty: deploy again with its TF_VAR_ input set and its version (apiClientSecretVersion / privateKeyVersion) bumped (README: Supplying secrets)" >&2; exit 1; }',
    'test -n "$RUNNER_API_CLIENT_SECRET" || empty RUNNER_API_CLIENT_SECRET',
    'test -n "$RUNNER_PRIVATE_KEY_PEM" || empty RUNNER_PRIVATE_KEY_PEM',
    'unset RUNNER_API_CLIENT_SECRET',
    `mkdir -p ${p.scratch}/runner/wd ${p.scratch}/runner/tfbin`,
    `printf '%s\\n' "$RUNNER_PRIVATE_KEY_PEM" > ${key}`,
    `printf '%s' "$RUNNER_CONFIG_YAML" > ${config}`,
    `chmod 0400 ${key}`,
    `chmod 0444 ${config}`,
    `chmod 0755 ${p.files}`,
    `chmod 0700 ${p.scratch}`,
    ...(p.seeded.length > 0 ? [`chmod 0755 ${p.seeded.join(' ')}`] : []),
    `chown -R ${RUNNER_UID}:${RUNNER_UID} ${p.scratch} ${p.files}`,
    ...(p.seeded.length > 0 ? [`chown ${RUNNER_UID}:${RUNNER_UID} ${p.seeded.join(' ')}`] : []),
    'echo "volume-init: runner files ready"',
  ].join('\n');
}

/** Paths `seed` works on: the image's own (read) and the volumes (written). */
export interface SeedPaths {
  readonly imageNix: string;
  readonly imageHome: string;
  readonly imageCerts: string;
  readonly nix: string;
  readonly home: string;
  /** The CA bundle volume, when extra CAs are configured. */
  readonly certs?: string;
}

/** `seed`'s paths for `volumes` as mounted in the task. */
export function seedPaths(volumes: readonly RunnerVolume[]): SeedPaths {
  const at = (name: string) => volumes.find((v) => v.name === name)?.seedPath;
  const certs = at('ca-certificates');
  return { imageNix: '/nix', imageHome: RUNNER_HOME, imageCerts: '/etc/ssl/certs', nix: at('nix')!, home: at('home')!, ...(certs !== undefined ? { certs } : {}) };
}

/**
 * Run by `seed` as uid 2000 without capabilities: copies the image's nix store and HOME into their
 * volumes (symlinks, modes and the read-only store kept), then adds the trust material from
 * `$KIT_EXTRA_CA_CERTIFICATES` (when the CA volume is there) and `$KIT_SSH_KNOWN_HOSTS` (when
 * `sshKnownHosts`).
 */
export function seedScript(p: SeedPaths, o: { readonly sshKnownHosts: boolean }): string {
  const bundle = (dir: string) => `${dir}/${SYSTEM_CA_BUNDLE_NAME}`;
  return [
    'set -eu',
    'umask 022',
    `cp -a ${p.imageNix}/. ${p.nix}/`,
    `cp -a ${p.imageHome}/. ${p.home}/`,
    ...(p.certs !== undefined
      ? [
          `test -n "$${SEED_ENV.caCertificates}" || { echo "seed: ${SEED_ENV.caCertificates} is empty" >&2; exit 1; }`,
          `cp -a ${p.imageCerts}/. ${p.certs}/`,
          `printf '%s\\n' "$${SEED_ENV.caCertificates}" > ${p.certs}/${EXTRA_CA_FILE_NAME}`,
          // A line break between the two: a bundle without a final one would glue two PEM lines together.
          `{ cat ${bundle(p.imageCerts)}; echo; cat ${p.certs}/${EXTRA_CA_FILE_NAME}; } > ${bundle(p.certs)}.tmp`,
          `rm -f ${bundle(p.certs)}`,
          `mv ${bundle(p.certs)}.tmp ${bundle(p.certs)}`,
          `chmod 0644 ${bundle(p.certs)} ${p.certs}/${EXTRA_CA_FILE_NAME}`,
        ]
      : []),
    ...(o.sshKnownHosts
      ? [
          `test -n "$${SEED_ENV.sshKnownHosts}" || { echo "seed: ${SEED_ENV.sshKnownHosts} is empty" >&2; exit 1; }`,
          `mkdir -p ${p.home}/.ssh`,
          `chmod 0700 ${p.home}/.ssh`,
          `printf '%s\\n' "$${SEED_ENV.sshKnownHosts}" >> ${p.home}/.ssh/known_hosts`,
          `chmod 0644 ${p.home}/.ssh/known_hosts`,
        ]
      : []),
    'echo "seed: runner volumes ready"',
  ].join('\n');
}
