/**
 * run-controller's config file (RUNCONTROLLER_CONFIG_FILE), split in two: everything that is not
 * secret is rendered here and kept in a ConfigMap; the `crypto` block (the runner's certificate
 * and private key) is appended inside the pod by the `compose-config` init container from the
 * credentials Secret, into a memory-backed volume. The API client secret never enters the file:
 * run-controller reads it from RUNNER_API_CLIENT_SECRET.
 *
 * Field names and meaning: building-block-runner/run-controller/controller/config.go.
 */

import type { ContainerResources } from './quantity';

/** The controller container's resources. */
export const DEFAULT_CONTROLLER_RESOURCES: ContainerResources = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '500m', memory: '256Mi' },
};
/** The compose-config init container's resources. */
export const INIT_RESOURCES: ContainerResources = {
  requests: { cpu: '10m', memory: '16Mi' },
  limits: { cpu: '100m', memory: '32Mi' },
};

/** Implementation types run-controller dispatches (config.go: isValidHandlerImplementationType). */
export const IMPLEMENTATION_TYPES = ['TERRAFORM', 'GITHUB_WORKFLOW', 'GITLAB_PIPELINE', 'AZURE_DEVOPS_PIPELINE', 'MANUAL'] as const;
export type ImplementationType = (typeof IMPLEMENTATION_TYPES)[number];

/** The upstream image of each implementation type, all released together with run-controller. */
export const IMPLEMENTATION_IMAGES: Readonly<Record<ImplementationType, string>> = {
  TERRAFORM: 'ghcr.io/meshcloud/tf-block-runner',
  GITHUB_WORKFLOW: 'ghcr.io/meshcloud/github-block-runner',
  GITLAB_PIPELINE: 'ghcr.io/meshcloud/gitlab-block-runner',
  AZURE_DEVOPS_PIPELINE: 'ghcr.io/meshcloud/azure-devops-block-runner',
  MANUAL: 'ghcr.io/meshcloud/manual-block-runner',
};
export const CONTROLLER_IMAGE = 'ghcr.io/meshcloud/run-controller';

/** Environment each implementation needs to run as a single-run Job (meshcloud's published config). */
export const IMPLEMENTATION_ENV: Readonly<Record<ImplementationType, Readonly<Record<string, string>>>> = {
  TERRAFORM: { EXECUTION_MODE: 'single-run' },
  GITHUB_WORKFLOW: { SPRING_PROFILES_ACTIVE: 'kubernetes' },
  GITLAB_PIPELINE: { SPRING_PROFILES_ACTIVE: 'kubernetes' },
  AZURE_DEVOPS_PIPELINE: { SPRING_PROFILES_ACTIVE: 'kubernetes' },
  MANUAL: { SPRING_PROFILES_ACTIVE: 'kubernetes' },
};

/** A volume of every Job of one implementation (config.go `ExtraVolume`: one of configMap, secret, emptyDir). */
export interface ExtraVolume {
  readonly name: string;
  readonly configMap: { readonly name: string };
}

/** Where a Job's container mounts an extra volume (config.go `ExtraVolumeMount`; no subPath). */
export interface ExtraVolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

export interface ImplementationSpec {
  /** Image by digest. */
  readonly image: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Volumes of every Job (e.g. the trusted CAs). @default [] */
  readonly extraVolumes?: readonly ExtraVolume[];
  readonly extraVolumeMounts?: readonly ExtraVolumeMount[];
  readonly resources: {
    readonly requests: { readonly cpu: string; readonly memory: string };
    readonly limits: { readonly cpu: string; readonly memory: string };
  };
}

export interface RunControllerSettings {
  readonly namespace: string;
  readonly apiUrl: string;
  readonly apiClientId: string;
  readonly uuid: string;
  readonly ownedByWorkspace: string;
  readonly displayName: string;
  readonly pollingIntervalSeconds: number;
  readonly maxConcurrentJobs: number;
  readonly implementations: Readonly<Partial<Record<ImplementationType, ImplementationSpec>>>;
}

type Value = string | number | boolean | readonly Value[] | { readonly [k: string]: Value };
type Mapping = { readonly [k: string]: Value };

/**
 * The non-secret part of the config file as YAML. Every string is double-quoted with JSON escapes
 * (valid YAML), so values holding Terraform references, colons or `#` stay one scalar. Keys keep
 * the declared order; implementation types are sorted.
 */
export function renderRunControllerConfig(s: RunControllerSettings): string {
  const implementations: Record<string, Value> = {};
  for (const type of [...IMPLEMENTATION_TYPES].filter((t) => s.implementations[t] !== undefined)) {
    const spec = s.implementations[type]!;
    implementations[type] = {
      image: spec.image,
      ...(spec.env && Object.keys(spec.env).length > 0 ? { env: sortKeys(spec.env) } : {}),
      resources: {
        requests: { cpu: spec.resources.requests.cpu, memory: spec.resources.requests.memory },
        limits: { cpu: spec.resources.limits.cpu, memory: spec.resources.limits.memory },
      },
      ...(spec.extraVolumes && spec.extraVolumes.length > 0 ? { extraVolumes: spec.extraVolumes.map((v) => ({ name: v.name, configMap: { name: v.configMap.name } })) } : {}),
      ...(spec.extraVolumeMounts && spec.extraVolumeMounts.length > 0 ? { extraVolumeMounts: spec.extraVolumeMounts.map((m) => ({ name: m.name, mountPath: m.mountPath, readOnly: m.readOnly })) } : {}),
    };
  }
  return yamlLines({
    namespace: s.namespace,
    api: { url: s.apiUrl, clientId: s.apiClientId },
    uuid: s.uuid,
    ownedByWorkspace: s.ownedByWorkspace,
    displayName: s.displayName,
    pollingIntervalSeconds: s.pollingIntervalSeconds,
    maxConcurrentJobs: s.maxConcurrentJobs,
    implementations,
  }, 0).join('\n') + '\n';
}

function sortKeys(o: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

function scalar(v: Value): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function isMapping(v: Value): v is Mapping {
  return typeof v === 'object' && !Array.isArray(v);
}

function yamlLines(o: Mapping, indent: number): string[] {
  const pad = ' '.repeat(indent);
  return Object.entries(o).flatMap(([k, v]) => {
    if (Array.isArray(v) && v.some(isMapping)) {
      // A block sequence of mappings: the first key after "- ", the others aligned under it.
      return [`${pad}${k}:`, ...(v as Value[]).flatMap((item) => yamlLines(item as Mapping, indent + 4).map((line, i) => (i === 0 ? `${pad}  - ${line.slice(indent + 4)}` : line)))];
    }
    if (Array.isArray(v)) return [`${pad}${k}: [${v.map(scalar).join(', ')}]`];
    if (typeof v === 'object') return Object.keys(v).length === 0 ? [`${pad}${k}: {}`] : [`${pad}${k}:`, ...yamlLines(v as Mapping, indent + 2)];
    return [`${pad}${k}: ${scalar(v)}`];
  });
}

/** Keys of the credentials Secret. */
export const CREDENTIAL_KEYS = {
  apiClientSecret: 'api-client-secret',
  privateKey: 'private-key.pem',
  certificate: 'certificate.pem',
} as const;

export interface ComposeConfigPaths {
  /** Where the ConfigMap is mounted (holds config.yaml). */
  readonly configDir: string;
  /** Where the credentials Secret is mounted. */
  readonly secretDir: string;
  /** The memory-backed volume the composed file is written to. */
  readonly outputDir: string;
}

/**
 * Run by the `compose-config` init container as the image's own non-root user: refuses empty or
 * malformed credentials with a message naming the fix, then writes config.yaml + the `crypto`
 * block into the output volume, mode 0400. Uses `$VAR`, never `${VAR}`, which Terraform would
 * read as interpolation.
 */
export function composeConfigScript(p: ComposeConfigPaths, missingHint: string): string {
  const secret = (k: string) => `${p.secretDir}/${k}`;
  const out = `${p.outputDir}/config.yaml`;
  return [
    'set -eu',
    'umask 077',
    `fail() { echo "compose-config: $1 (${missingHint.replace(/"/g, "'")})" >&2; exit 1; }`,
    ...Object.values(CREDENTIAL_KEYS).map((k) => `test -s ${secret(k)} || fail "credential ${k} is empty"`),
    `grep -q 'BEGIN CERTIFICATE' ${secret(CREDENTIAL_KEYS.certificate)} || fail "credential ${CREDENTIAL_KEYS.certificate} is not a PEM certificate"`,
    `grep -q 'BEGIN PRIVATE KEY' ${secret(CREDENTIAL_KEYS.privateKey)} || grep -q 'BEGIN RSA PRIVATE KEY' ${secret(CREDENTIAL_KEYS.privateKey)} || fail "credential ${CREDENTIAL_KEYS.privateKey} is not a PEM private key"`,
    '{',
    `  cat ${p.configDir}/config.yaml`,
    "  echo 'crypto:'",
    "  echo '  publicKey: |'",
    `  sed 's/^/    /' ${secret(CREDENTIAL_KEYS.certificate)}`,
    '  echo',
    "  echo '  privateKey: |'",
    `  sed 's/^/    /' ${secret(CREDENTIAL_KEYS.privateKey)}`,
    '  echo',
    `} > ${out}.tmp`,
    `mv ${out}.tmp ${out}`,
    `chmod 0400 ${out}`,
    'echo "compose-config: config ready"',
  ].join('\n');
}
