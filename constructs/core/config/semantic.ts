/**
 * Checks of meaning that a shape schema cannot express, for what every cloud shares: names, the
 * platform per cloud, regions, the https meshStack URL, CIDR syntax and size, UUIDs, releases,
 * images, updates, the Kubernetes block. Each cloud adds its own (`constructs/<cloud>/config.ts`),
 * called through the target kinds (`constructs/target-kinds.ts`). Pure; returns every issue found.
 */
import { joinPath, type ConfigIssue } from './config-error';
import { isPrivateRange, parseCidr, subnetBits } from './cidr';
import { REGIONS } from './regions';
import { checkTrust } from './trust-check';
import { checkUpdates } from './updates-check';
import { CLOUDS, DEFAULT_RUNNER_IMAGE, PLATFORMS_BY_CLOUD, RUNNER_NAME_PATTERN, TARGET_NAME_PATTERN, type Cloud } from './schema';
import { KIT_TAG_KEYS } from '../naming';
import { CONTROLLER_IMAGE, IMPLEMENTATION_IMAGES, type ImplementationType } from '../../kubernetes/run-controller-config';
import { parseReleaseTag } from '../../../updater/core/release-version';

/**
 * The checks run on the raw target, whether or not the shape schema accepted it, so that every
 * problem is reported at once. Each check therefore guards the type of what it reads and leaves
 * type errors to the schema.
 */
type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** At most this many runners per target: the updater's role policy and its configuration list each one. */
export const MAX_RUNNERS_PER_TARGET = 10;
/** The runner reaches 443 and at most this many opted-in TCP ports (the "443 plus opt-in ports" promise). */
export const MAX_EGRESS_EXTRA_PORTS = 10;
/** Longest API client id accepted (meshStack's are far shorter); keeps the container definition small. */
export const MAX_API_CLIENT_ID_LENGTH = 256;
/** Longest image repository (the OCI distribution spec's limit on a repository name with its registry). */
export const MAX_IMAGE_LENGTH = 255;
/** Longest meshStack workspace identifier accepted. */
export const MAX_WORKSPACE_LENGTH = 256;
const RELEASE_TAG_RE = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
const IMAGE_REPO_RE = /^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)+$/;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Smallest network the kit accepts, and the largest AWS allows for a VPC. */
const MIN_PREFIX = 16;
const MAX_PREFIX = 24;

export function checkTargetName(name: string): ConfigIssue[] {
  if (TARGET_NAME_PATTERN.test(name)) return [];
  return [
    {
      path: joinPath(['targets', name]),
      received: name,
      message: name.includes('-')
        ? 'contains "-", the separator the kit puts between a target name and the rest of every resource name: a hyphenated target name would share name prefixes (and IAM scopes) with another target'
        : 'is not a valid target name: it becomes the cdktf stack name and the prefix of every resource name',
      fix: `use 3-32 lowercase letters and digits, starting with a letter, without "-" (naming rule: README, Naming)${suggestName(name, 3, 32)}`,
    },
  ];
}

/** ', e.g. "prodeu"' for a name that becomes valid without its other characters, else ''. */
function suggestName(name: string, min: number, max: number): string {
  const candidate = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return /^[a-z]/.test(candidate) && candidate.length >= min && candidate.length <= max ? `, e.g. "${candidate}"` : '';
}

/**
 * The cloud-neutral checks of one target. `implemented` lists the kinds (`<cloud>/<platform>`) this
 * version of the kit deploys; a valid but unimplemented one is refused clearly.
 */
export function checkTarget(name: string, rawTarget: unknown, implemented: readonly string[]): ConfigIssue[] {
  const t = obj(rawTarget);
  const at = (p: string) => `targets.${name}.${p}`;
  const issues: ConfigIssue[] = [];
  const add = (path: string, received: unknown, message: string, fix: string) => issues.push({ path: at(path), received, message, fix });

  const cloud = (CLOUDS as readonly string[]).includes(str(t.cloud) ?? '') ? (t.cloud as Cloud) : undefined;
  const platform = str(t.platform);
  if (cloud && platform !== undefined) {
    const platforms = PLATFORMS_BY_CLOUD[cloud] as readonly string[];
    if (!platforms.includes(platform)) {
      add('platform', platform, `does not run on cloud "${cloud}"`, `use one of: ${platforms.join(', ')}`);
    } else if (!implemented.includes(`${cloud}/${platform}`)) {
      add('platform', platform, `is not available yet in this version of the kit (available: ${implemented.join(', ')})`, `use one of: ${implemented.join(', ')}`);
    }
  }
  const region = str(t.region);
  if (cloud && region !== undefined && !REGIONS[cloud].includes(region)) {
    add('region', region, `is not a ${cloud} region known to the kit`, `use a ${cloud} region such as ${REGIONS[cloud].slice(0, 3).join(', ')} (list: constructs/core/config/regions.ts)`);
  }
  const apiUrl = str(obj(t.meshstack).apiUrl);
  if (apiUrl !== undefined) checkHttpsUrl(apiUrl, 'meshstack.apiUrl', add);
  for (const other of CLOUDS) {
    if (cloud && other !== cloud && t[other] !== undefined) add(other, t[other], `is set but the target's cloud is "${cloud}"`, `remove the ${other} section or set cloud: ${other}`);
  }
  checkNetwork(obj(t.network), add);
  checkRunners(t.runners, add);
  checkMirrorRepositories(t, platform, add);
  checkKubernetes(t.kubernetes, platform, add);
  checkUpdates(t.updates, add);
  checkAlarmEmails(list(obj(t.alarms).emails), add);
  checkKitTagKeys(obj(t.tags), add);
  checkStateBackend(obj(t.stateBackend), add);
  checkTrust(obj(t.trust), add);
  return issues;
}

/**
 * A user tag must not use a key the kit sets itself (`KIT_TAG_KEYS`): the kit's value would win
 * silently. Compared case-insensitively, as IAM compares tag keys. The cloud's own tag rules
 * (count, charset, lengths) are in the cloud's limits (`aws-limits.ts`).
 */
function checkKitTagKeys(tags: Loose, add: Add): void {
  for (const key of Object.keys(tags)) {
    const kit = KIT_TAG_KEYS.find((k) => k.toLowerCase() === key.toLowerCase());
    if (kit !== undefined) {
      add(joinPath(['tags', key]), key, `is a tag key the kit sets itself ("${kit}"): your value would be overwritten without notice`, 'rename the tag key');
    }
  }
}

/** Longest e-mail address (RFC 5321: a 256-octet path, less the angle brackets). */
const MAX_EMAIL_LENGTH = 254;

function checkAlarmEmails(emails: unknown[], add: Add): void {
  const seen = new Map<string, number>();
  emails.forEach((e, i) => {
    if (typeof e !== 'string') return;
    if (e.length > MAX_EMAIL_LENGTH || !EMAIL_RE.test(e)) {
      add(`alarms.emails[${i}]`, e, `is not an e-mail address (at most ${MAX_EMAIL_LENGTH} characters: local part, @, domain)`, 'use name@example.com');
      return;
    }
    // The domain is case-insensitive; SNS would create one subscription for both, and Terraform two resources.
    const key = `${e.slice(0, e.lastIndexOf('@'))}@${e.slice(e.lastIndexOf('@') + 1).toLowerCase()}`;
    const first = seen.get(key);
    if (first !== undefined) add(`alarms.emails[${i}]`, e, `is the same address as alarms.emails[${first}]`, 'list each address once');
    else seen.set(key, i);
  });
}

/** Folder the kit synthesizes into by default; every synthesis replaces it (`stacks/main.ts`). */
export const DEFAULT_OUTPUT_DIR = 'cdktf.out';

function checkStateBackend(backend: Loose, add: Add): void {
  const localPath = str(backend.path);
  if (backend.type === 'local' && localPath !== undefined) {
    const parts = localPath.split(/[\\/]+/);
    if (localPath.trim() === '' || /[\\/]$/.test(localPath) || parts[parts.length - 1] === '.' || parts[parts.length - 1] === '..') {
      add('stateBackend.path', localPath, 'does not name a file', 'use a file path such as terraform.prod.tfstate');
    } else if (parts.includes(DEFAULT_OUTPUT_DIR)) {
      add('stateBackend.path', localPath, `lies inside ${DEFAULT_OUTPUT_DIR}, which every synthesis replaces: the next synthesis would delete the state`, 'keep the state outside the synthesis output, e.g. terraform.prod.tfstate (the default) or state/prod.tfstate');
    }
  }
}

/** Reports one issue: the field path below the target, what was received, what is wrong, the fix. */
export type Add = (path: string, received: unknown, message: string, fix: string) => void;

/** Longest meshStack API URL the kit accepts (far above any real one; browsers' practical limit). */
export const MAX_URL_LENGTH = 2048;
/**
 * An absolute https URL as RFC 3986 writes it: a host, an optional port, a path of unreserved,
 * sub-delimiter, `:` and `@` characters and percent-escapes; no user info, query or fragment.
 */
const HTTPS_URL_RE = /^https:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/([A-Za-z0-9._~!$&'()*+,;=:@-]|%[0-9A-Fa-f]{2})*)*$/;

function checkHttpsUrl(value: string, path: string, add: Add): void {
  const example = 'https://federation.example.meshcloud.io';
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    add(path, value, 'is not a URL', `use the https URL of your meshStack API, e.g. ${example}`);
    return;
  }
  if (url.username !== '' || url.password !== '') {
    // Checked first: the value must not be echoed into a fix that keeps the credentials.
    add(path, value, 'embeds credentials (user:password@): they would be stored in plain text in the runner\'s task definition and in the Terraform state', `remove them, e.g. https://${url.host}${url.pathname === '/' ? '' : url.pathname}; the runner authenticates with apiClientId and the secret supplied at deploy time`);
    return;
  }
  if (url.protocol !== 'https:') {
    add(path, value, 'must use https: the runner sends its API credentials to it', `use https://${url.host}${url.pathname === '/' ? '' : url.pathname}`);
    return;
  }
  if (value.length > MAX_URL_LENGTH) {
    add(path, value, `is ${value.length} characters long (at most ${MAX_URL_LENGTH})`, `use the base URL of your meshStack API, e.g. ${example}`);
  } else if (url.search !== '' || url.hash !== '' || value.includes('?') || value.includes('#')) {
    add(path, value, 'has a query or fragment; the runner appends API paths to this base URL', `use the base URL only: https://${url.host}${url.pathname === '/' ? '' : url.pathname}`);
  } else if (!HTTPS_URL_RE.test(value)) {
    add(path, value, 'has characters a URL cannot hold unescaped (spaces, quotes, braces, non-ASCII, a bare %)', `write it as your browser shows it, percent-escaped, e.g. ${example}`);
  }
}

/** Hosts that never leave the machine: the emulator profile's endpoint must be one, unless `aws.allowRemoteEndpoint`. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

function checkNetwork(n: Loose, add: Add): void {
  const byoNetwork = n.existingNetworkId !== undefined;
  const byoSubnets = n.existingSubnetIds !== undefined;
  const zones = int(n.zones) ?? 2;
  const cidr = str(n.cidr) ?? '10.42.0.0/22';
  if (byoNetwork !== byoSubnets) {
    const [missing, present] = byoNetwork ? ['network.existingSubnetIds', 'existingNetworkId'] : ['network.existingNetworkId', 'existingSubnetIds'];
    add(missing, undefined, `is required when network.${present} is set (bring-your-own network needs both)`, `set ${missing}, or remove network.${present} to let the kit create the network`);
  }
  if (byoSubnets) {
    const ids = list(n.existingSubnetIds);
    if (Array.isArray(n.existingSubnetIds) && ids.length < 2) add('network.existingSubnetIds', ids, 'needs at least 2 subnets in different zones', 'list one private subnet per zone, at least 2');
    if (new Set(ids).size !== ids.length) add('network.existingSubnetIds', ids, 'lists a subnet twice', 'list each subnet once');
  } else {
    const parsed = parseCidr(cidr);
    if ('error' in parsed) {
      add('network.cidr', cidr, parsed.error, 'use a private IPv4 block such as 10.42.0.0/22');
    } else {
      const needed = Math.min(MAX_PREFIX, 28 - subnetBits(2 * Math.max(2, zones)));
      if (parsed.prefix < MIN_PREFIX) {
        add('network.cidr', cidr, `is larger than a VPC can be (/${MIN_PREFIX} at most)`, 'use a /16 to /24 block, e.g. 10.42.0.0/22');
      } else if (parsed.prefix > needed) {
        add('network.cidr', cidr, `is too small: need at least a /${needed} for ${Math.max(2, zones)} zones (one private and one public subnet each)`, 'use e.g. 10.42.0.0/22');
      }
      if (!isPrivateRange(parsed)) {
        add('network.cidr', cidr, 'is not in a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10)', 'use a private block such as 10.42.0.0/22');
      }
    }
  }
  const seen = new Set<number>();
  const ports = list(n.egressExtraPorts);
  if (ports.length > MAX_EGRESS_EXTRA_PORTS) {
    add('network.egressExtraPorts', ports, `lists ${ports.length} ports; the runner reaches 443 plus at most ${MAX_EGRESS_EXTRA_PORTS} opted-in ports (each one is a hole in the egress policy)`, 'list only the ports your runs need, e.g. [22] for git over SSH');
  }
  ports.forEach((p, i) => {
    if (typeof p !== 'number') return;
    if (p < 1 || p > 65535) add(`network.egressExtraPorts[${i}]`, p, 'is not a TCP port', 'use a port between 1 and 65535, e.g. 22 for git over SSH');
    if (p === 443) add(`network.egressExtraPorts[${i}]`, p, 'is always allowed', 'remove 443 from the list');
    if (seen.has(p)) add(`network.egressExtraPorts[${i}]`, p, 'is listed twice', 'list each port once');
    seen.add(p);
  });
}

function checkRunners(rawRunners: unknown, addToTarget: Add): void {
  const runners = obj(rawRunners);
  const names = Object.keys(runners);
  if (rawRunners !== undefined && names.length === 0) {
    addToTarget('runners', rawRunners, 'has no runner', 'add one, e.g. runners: { default: { uuid: ..., apiClientId: ..., version: v1.3.0 } }');
  }
  if (names.length > MAX_RUNNERS_PER_TARGET) {
    addToTarget(
      'runners',
      names,
      `has ${names.length} runners; a target holds at most ${MAX_RUNNERS_PER_TARGET} (the updater's role and configuration list every runner, and the clouds cap their sizes)`,
      'split the runners over several targets',
    );
  }
  const uuids = new Map<string, string>();
  for (const name of names) {
    const r = obj(runners[name]);
    const add: Add = (field, received, message, fix) => addToTarget(`runners.${name}${field ? `.${field}` : ''}`, received, message, fix);
    if (!RUNNER_NAME_PATTERN.test(name)) {
      add(
        '',
        name,
        name.includes('-')
          ? 'contains "-", the separator the kit puts between the parts of resource names (<target>-<runner>-...): a hyphenated runner name would make names ambiguous'
          : 'is not a valid runner name: it becomes part of resource names',
        `use 1-20 lowercase letters and digits, starting with a letter, without "-"${suggestName(name, 1, 20) || ', e.g. "default"'}`,
      );
    }
    checkRunner(r, add);
    const uuid = str(r.uuid)?.toLowerCase();
    if (uuid === undefined) continue;
    const other = uuids.get(uuid);
    if (other !== undefined) add('uuid', r.uuid, `is also the UUID of runner "${other}"`, 'give each runner its own meshStack runner UUID');
    uuids.set(uuid, name);
  }
}

function checkImage(image: string, field: string, add: Add, example = 'ghcr.io/meshcloud/tf-block-runner'): void {
  if (!IMAGE_REPO_RE.test(image)) {
    add(field, image, 'is not an image repository without tag or digest', `use e.g. ${example} (put the release in "version")`);
  } else if (image.length > MAX_IMAGE_LENGTH) {
    add(field, image, `is ${image.length} characters long (an image repository has at most ${MAX_IMAGE_LENGTH})`, `use e.g. ${example}`);
  }
}

/**
 * Every image a target mirrors gets a repository named after the image's last path segment (on
 * every cloud: `<target>/tf-block-runner`), so two different images with the same last segment
 * would need the same repository.
 */
function checkMirrorRepositories(t: Loose, platform: string | undefined, add: Add): void {
  const bySegment = new Map<string, string>();
  const claim = (image: unknown, field: string) => {
    if (typeof image !== 'string' || !IMAGE_REPO_RE.test(image)) return;
    const segment = image.slice(image.lastIndexOf('/') + 1);
    const other = bySegment.get(segment);
    if (other === undefined) bySegment.set(segment, image);
    else if (other !== image) {
      add(field, image, `would be mirrored into the same repository ("<target>/${segment}") as ${other}: mirror repositories are named after the image's last path segment`, 'use images whose last path segments differ, or mirror one of them under another name upstream');
    }
  };
  const k = obj(t.kubernetes);
  if (platform !== undefined && KUBERNETES_PLATFORMS.includes(platform)) claim(k.controllerImage ?? CONTROLLER_IMAGE, 'kubernetes.controllerImage');
  const types = Array.isArray(k.implementations) ? k.implementations : ['TERRAFORM'];
  for (const [name, raw] of Object.entries(obj(t.runners))) {
    const image = obj(raw).image ?? DEFAULT_RUNNER_IMAGE;
    if (platform === undefined || !KUBERNETES_PLATFORMS.includes(platform)) {
      claim(image, `runners.${name}.image`);
      continue;
    }
    for (const type of types) {
      if (type === 'TERRAFORM') claim(image, `runners.${name}.image`);
      else if (typeof type === 'string' && type in IMPLEMENTATION_IMAGES) claim(IMPLEMENTATION_IMAGES[type as ImplementationType], `kubernetes.implementations`);
    }
  }
}

function checkRunner(r: Loose, add: Add): void {
  const uuid = str(r.uuid);
  const version = str(r.version);
  const image = str(r.image);
  if (uuid !== undefined && !UUID_RE.test(uuid)) {
    add('uuid', uuid, 'is not a UUID', "copy the runner's UUID from meshStack, e.g. 3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f");
  }
  if (version !== undefined && !RELEASE_TAG_RE.test(version)) {
    add('version', version, 'is not a release tag vX.Y.Z ("latest", "main" and pre-releases are not reproducible)', 'use a published release such as v1.3.0');
  } else if (version !== undefined && parseReleaseTag(version) === undefined) {
    // The updater's own parser: a number it cannot compare exactly would make every later decision fail.
    add('version', version, 'has a number too large for the updater to compare exactly (above 2^53)', 'use a published release such as v1.3.0');
  }
  if (image !== undefined) checkImage(image, 'image', add);
  const clientId = str(r.apiClientId);
  if (clientId !== undefined && clientId.length > MAX_API_CLIENT_ID_LENGTH) {
    add('apiClientId', clientId, `is ${clientId.length} characters long (at most ${MAX_API_CLIENT_ID_LENGTH})`, 'copy the client id of the API key from meshStack');
  } else if (clientId !== undefined && clientId.trim() !== clientId) {
    add('apiClientId', clientId, 'starts or ends with whitespace (a copy-and-paste slip: the login would fail)', `use ${JSON.stringify(clientId.trim())}`);
  }
}

const KUBERNETES_PLATFORMS = ['eks', 'aks', 'gke'];

function checkKubernetes(raw: unknown, platform: string | undefined, add: Add): void {
  if (platform === undefined) return;
  if (!KUBERNETES_PLATFORMS.includes(platform)) {
    if (raw !== undefined) add('kubernetes', raw, `is set but platform "${platform}" is not a Kubernetes platform`, 'remove the kubernetes section, or use platform eks, aks or gke');
    return;
  }
  if (raw === undefined) {
    add('kubernetes', undefined, `is required on platform "${platform}": run-controller registers itself under a meshStack workspace`, 'add kubernetes: { ownedByWorkspace: <your workspace identifier> }');
    return;
  }
  const k = obj(raw);
  const version = str(k.version);
  if (version !== undefined && !/^1\.\d{2}$/.test(version)) {
    add('kubernetes.version', version, 'is not a Kubernetes minor version', 'use e.g. "1.33" (each platform lists the versions it supports)');
  }
  const namespace = str(k.namespace);
  if (namespace !== undefined && (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(namespace) || namespace === 'default' || namespace.startsWith('kube-'))) {
    add('kubernetes.namespace', namespace, 'is not a namespace of its own (a DNS label, not default or kube-*)', 'use e.g. meshstack-runner');
  }
  const image = str(k.controllerImage);
  if (image !== undefined) checkImage(image, 'kubernetes.controllerImage', add, 'ghcr.io/meshcloud/run-controller');
  const workspace = str(k.ownedByWorkspace);
  if (workspace !== undefined && workspace.length > MAX_WORKSPACE_LENGTH) {
    add('kubernetes.ownedByWorkspace', workspace, `is ${workspace.length} characters long (at most ${MAX_WORKSPACE_LENGTH})`, 'use the identifier of the workspace as shown in meshStack');
  }
  const types = list(k.implementations);
  if (Array.isArray(k.implementations) && types.length === 0) add('kubernetes.implementations', types, 'is empty: the runners would execute nothing', 'list at least TERRAFORM');
  if (new Set(types).size !== types.length) add('kubernetes.implementations', types, 'lists a type twice', 'list each implementation type once');
  const cidrs = list(k.publicEndpointCidrs);
  if (k.allowPublicEndpoint === true && cidrs.length === 0) {
    add('kubernetes.publicEndpointCidrs', cidrs, 'is empty but allowPublicEndpoint is true', 'list the networks allowed to reach the API endpoint, e.g. ["203.0.113.0/24"], or remove allowPublicEndpoint');
  }
  if (k.allowPublicEndpoint !== true && cidrs.length > 0) {
    add('kubernetes.publicEndpointCidrs', cidrs, 'is set but allowPublicEndpoint is not true', 'set allowPublicEndpoint: true to open the endpoint to these networks, or remove publicEndpointCidrs');
  }
  cidrs.forEach((c, i) => {
    if (typeof c !== 'string') return;
    const parsed = parseCidr(c);
    if ('error' in parsed) add(`kubernetes.publicEndpointCidrs[${i}]`, c, parsed.error, 'use an IPv4 block such as 203.0.113.0/24');
    else if (parsed.prefix === 0) add(`kubernetes.publicEndpointCidrs[${i}]`, c, 'opens the API endpoint to the whole internet', 'list the specific networks that deploy and operate the cluster');
  });
  const min = int(k.nodeMinSize) ?? 2;
  const max = int(k.nodeMaxSize) ?? 4;
  const desired = int(k.nodeDesiredSize) ?? min;
  if (min > max) add('kubernetes.nodeMinSize', min, `is above nodeMaxSize (${max})`, 'lower nodeMinSize or raise nodeMaxSize');
  else if (desired < min || desired > max) add('kubernetes.nodeDesiredSize', desired, `is outside nodeMinSize..nodeMaxSize (${min}..${max})`, `use a value from ${min} to ${max}`);
}
