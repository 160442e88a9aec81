/**
 * Names and tags shared by every cloud, so the same concept has the same name everywhere.
 *
 * The naming rule (every cloud, every resource the kit creates):
 * - the names a user gives, target names and runner names, are lowercase letters and digits only,
 *   starting with a letter (`prod`, `prodeu`, `default`, `eumain`);
 * - the kit joins the parts of a resource name with `-` (`<target>-<runner>-exec`), or with `/`
 *   where the resource has a path (`<target>/<runner>/private-key`, `/private-runner-kit/<target>/`).
 *
 * The delimiter is the one character no user-given name can contain, so a name prefix
 * `<target>-` matches the resources of that target and of no other: `alarm:prod-*` cannot match
 * target `prodeu`'s alarms (`prodeu-...`), and target `prod` with runner `eumain` can never produce
 * the name of target `prodeu` with runner `main` (`prod-eumain` vs `prodeu-main`). IAM scoping by
 * name prefix (`role/<target>-*`, `alarm:<target>-*`, `function:<target>-*`) relies on it.
 *
 * Why `-` and not another delimiter: it is the only separator every cloud accepts in the names the
 * kit needs. GCP resource names are `[a-z0-9-]` (no `_`, no `.`), Kubernetes names are DNS labels
 * (`[a-z0-9-]`), Azure Key Vault names allow single hyphens only (no `--`), so neither `_` nor `--`
 * works everywhere. Resources whose names allow no separator at all (Azure storage accounts and
 * container registries: `[a-z0-9]`) will take a fixed-length form (e.g. a hash of the joined name)
 * in their own cloud's naming code, never a plain concatenation, which would be ambiguous.
 */

export const KIT_NAME = 'private-runner-kit';

/** The separator of name parts (see the naming rule above); never part of a user-given name. */
export const NAME_DELIMITER = '-';

/** Target names: they become cdktf stack names and prefix every resource name. */
export const TARGET_NAME_PATTERN = /^[a-z][a-z0-9]{2,31}$/;
/** Runner names: they become part of resource names (service, task family, secrets, roles). */
export const RUNNER_NAME_PATTERN = /^[a-z][a-z0-9]{0,19}$/;

/**
 * The mirror repository of an upstream image, on every cloud: `<target>/<last path segment>`
 * (e.g. `prod/tf-block-runner`); validation refuses two images with the same last segment.
 */
export const mirrorRepositoryName = (target: string, upstreamImage: string) => `${target}/${upstreamImage.slice(upstreamImage.lastIndexOf('/') + 1)}`;

/**
 * The ephemeral Terraform variables of a runner's secret inputs (set as `TF_VAR_<name>`), on every
 * cloud: `runner_<runner>_api_client_secret`, `_private_key`, and `_certificate` (Kubernetes).
 */
export function secretVariableNames(runner: string): { readonly apiClientSecret: string; readonly privateKey: string; readonly certificate: string } {
  const prefix = `runner_${runner.replace(/-/g, '_')}`;
  return { apiClientSecret: `${prefix}_api_client_secret`, privateKey: `${prefix}_private_key`, certificate: `${prefix}_certificate` };
}

/** Prefix of every log group the kit creates (the KMS key policy is scoped to it). */
export const logGroupPrefix = (target: string) => `/${KIT_NAME}/${target}/`;

/** The tag keys the kit sets itself, on every resource or on some (see `KIT_TAG_KEYS`). */
export const MANAGED_BY_TAG = 'managed-by';
export const TARGET_TAG = 'runner-kit-target';

/**
 * Every tag key the kit writes, on every resource (`managed-by`, `runner-kit-target`) or on some:
 * `Name` (network resources, security groups, nodes), `runner-kit-upstream` (mirror repositories),
 * `runner-kit:version` (task-definition revisions the updater registers: `VERSION_TAG_KEY`). A user tag with one of
 * these keys would be overwritten silently, so validation rejects it.
 */
export const KIT_TAG_KEYS = [MANAGED_BY_TAG, TARGET_TAG, 'Name', 'runner-kit-upstream', 'runner-kit:version'] as const;

/** Tags the kit puts on every resource, besides the customer's own. */
export function kitTags(target: string, custom: Readonly<Record<string, string>>): Record<string, string> {
  return { ...custom, [MANAGED_BY_TAG]: KIT_NAME, [TARGET_TAG]: target };
}
