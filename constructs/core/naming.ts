/** Names and tags shared by every cloud, so the same concept has the same name everywhere. */

export const KIT_NAME = 'private-runner-kit';
/** Prefix of every log group the kit creates (the KMS key policy is scoped to it). */
export const logGroupPrefix = (target: string) => `/${KIT_NAME}/${target}/`;

/** Tags the kit puts on every resource, besides the customer's own. */
export function kitTags(target: string, custom: Readonly<Record<string, string>>): Record<string, string> {
  return { ...custom, 'managed-by': KIT_NAME, 'runner-kit-target': target };
}
