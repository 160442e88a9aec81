/**
 * The first promotion, inside the deploy, so the first `cdktf deploy` ends with running runners:
 * an ARM deployment script (`azurerm_resource_deployment_script_azure_cli`: Azure runs the Azure CLI
 * image once, signed in as the updater's identity) that, for each runner's configured release,
 * 1. resolves the release tag to its digest at the upstream registry (anonymous token, OCI
 *    distribution API: the same flow as `updater/adapters/oci/`),
 * 2. imports exactly that digest into the mirror with ARM `importImage` (`az acr import`): a
 *    server-side copy, no registry credential, no network path to the private registry needed;
 *    tagged with the release unless the tag exists already (mirror tags never move: then the digest
 *    is imported untagged, and what runs is referenced by digest anyway),
 * 3. writes `{"runners": {<name>: {"image", "to", "digest"}}}` as the script's output, which the
 *    container groups reference (image by digest) and record (version tags).
 *
 * Why a deployment script and not the updater function: Terraform cannot call a function and read
 * its answer on Azure (there is no `aws_lambda_invocation` twin), and the function has no inbound
 * endpoint at all. The script needs no image of the kit's own (Microsoft's Azure CLI image runs it)
 * and no secret: the upstream is public and `importImage` is authorized by the identity's role.
 *
 * The script is Python (standard library only, in the Azure CLI image). Role assignments of a
 * fresh identity take minutes to reach Azure Resource Manager: `az` calls are retried for up to
 * five minutes. Nothing here contains `${`: Terraform would read it as interpolation.
 */

/** The Azure CLI version the script runs with (an image Microsoft publishes for deployment scripts). */
export const BOOTSTRAP_AZ_CLI_VERSION = '2.63.0';
/** Environment variable holding the plan (what to promote), JSON. */
export const BOOTSTRAP_PLAN_ENV = 'KIT_BOOTSTRAP_PLAN';

export interface BootstrapPlan {
  /** Mirror registry name (`az acr import --name`) and login server (image references). */
  readonly registry: string;
  readonly loginServer: string;
  readonly runners: readonly {
    readonly name: string;
    /** Upstream registry origin, e.g. `https://ghcr.io`. */
    readonly upstreamRegistry: string;
    readonly upstreamRepository: string;
    readonly version: string;
    readonly mirrorRepository: string;
  }[];
}

/** Media types a runner release may be published as (index first: the mirror keeps every platform). */
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export const BOOTSTRAP_SCRIPT = String.raw`
import hashlib, json, os, re, subprocess, sys, time, urllib.error, urllib.parse, urllib.request

ACCEPT = "${ACCEPT}"
ATTEMPTS = int(os.environ.get("KIT_AZ_ATTEMPTS", "20"))
DELAY = float(os.environ.get("KIT_AZ_DELAY_SECONDS", "15"))


def log(message):
    print("bootstrap: " + message, file=sys.stderr, flush=True)


def challenge(header):
    match = re.match(r"\s*Bearer\s+(.*)", header or "", re.I)
    if not match:
        return None
    return {k.lower(): v for k, v in re.findall(r'(\w+)="([^"]*)"', match.group(1))}


def request(url, method, headers):
    req = urllib.request.Request(url, method=method, headers=headers)
    return urllib.request.urlopen(req, timeout=30)


def digest_of(registry, repository, tag):
    url = registry.rstrip("/") + "/v2/" + repository + "/manifests/" + tag
    headers = {"Accept": ACCEPT}
    for attempt in range(2):
        try:
            with request(url, "GET", headers) as response:
                body = response.read(4 * 1024 * 1024 + 1)
                if len(body) > 4 * 1024 * 1024:
                    raise SystemExit("manifest of " + repository + ":" + tag + " is larger than 4 MiB")
                computed = "sha256:" + hashlib.sha256(body).hexdigest()
                stated = response.headers.get("Docker-Content-Digest")
                if stated and stated != computed:
                    raise SystemExit("registry stated digest " + stated + " for " + repository + ":" + tag + " but sent bytes of " + computed)
                return computed
        except urllib.error.HTTPError as error:
            params = challenge(error.headers.get("WWW-Authenticate")) if error.code == 401 else None
            if attempt > 0 or not params or "realm" not in params:
                raise SystemExit("cannot read " + repository + ":" + tag + " at " + registry + ": HTTP " + str(error.code))
            query = {"scope": "repository:" + repository + ":pull"}
            if "service" in params:
                query["service"] = params["service"]
            with request(params["realm"] + "?" + urllib.parse.urlencode(query), "GET", {}) as response:
                token = json.load(response)
            headers["Authorization"] = "Bearer " + (token.get("token") or token.get("access_token") or "")
    raise SystemExit("cannot read " + repository + ":" + tag)


def az(*args):
    last = ""
    for attempt in range(ATTEMPTS):
        done = subprocess.run(["az", *args], capture_output=True, text=True)
        if done.returncode == 0:
            return True, ""
        last = (done.stderr or done.stdout).strip()
        if "already exists" in last or "Tag already exists" in last or "TagAlreadyExists" in last:
            return False, last
        if attempt + 1 < ATTEMPTS:
            log("az " + args[0] + " " + args[1] + " failed (" + last.splitlines()[-1][:200] + " ...), trying again: role assignments take minutes to reach Azure Resource Manager")
            time.sleep(DELAY)
    raise SystemExit("az " + " ".join(args[:2]) + " failed: " + last)


def main():
    plan = json.loads(os.environ["${BOOTSTRAP_PLAN_ENV}"])
    promoted = {}
    out = {}
    for runner in plan["runners"]:
        key = (runner["upstreamRegistry"], runner["upstreamRepository"], runner["version"], runner["mirrorRepository"])
        if key not in promoted:
            digest = digest_of(runner["upstreamRegistry"], runner["upstreamRepository"], runner["version"])
            host = urllib.parse.urlparse(runner["upstreamRegistry"]).netloc
            source = host + "/" + runner["upstreamRepository"] + "@" + digest
            tagged, why = az("acr", "import", "--name", plan["registry"], "--source", source, "--image", runner["mirrorRepository"] + ":" + runner["version"])
            if not tagged:
                log(runner["mirrorRepository"] + ":" + runner["version"] + " exists in the mirror (tags never move): importing " + digest + " untagged")
                imported, why2 = az("acr", "import", "--name", plan["registry"], "--source", source, "--repository", runner["mirrorRepository"])
                if not imported:
                    raise SystemExit("cannot import " + source + ": " + why + "; untagged: " + why2)
            log("promoted " + source + " into " + plan["registry"] + "/" + runner["mirrorRepository"])
            promoted[key] = digest
        digest = promoted[key]
        out[runner["name"]] = {"image": plan["loginServer"] + "/" + runner["mirrorRepository"] + "@" + digest, "to": runner["version"], "digest": digest}
    with open(os.environ["AZ_SCRIPTS_OUTPUT_PATH"], "w") as f:
        json.dump({"runners": out}, f)


main()
`;

/** The deployment script's content (bash): writes the Python program above to a file and runs it. */
export function bootstrapScriptContent(): string {
  return ['set -eu', "cat > /tmp/runner-kit-bootstrap.py <<'RUNNER_KIT_PROGRAM'", BOOTSTRAP_SCRIPT.trim(), 'RUNNER_KIT_PROGRAM', 'python3 /tmp/runner-kit-bootstrap.py', ''].join('\n');
}
