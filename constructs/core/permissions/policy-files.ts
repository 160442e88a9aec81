/**
 * Where the generated auditor files live and the banner they carry, for every cloud's policy
 * documents (`constructs/<cloud>/permissions/policy-documents.ts`) and the generator
 * (`scripts/generate-policies.ts`).
 */
export const POLICIES_DIR = 'policies';
export const REGENERATE_COMMAND = 'npm run policies';

export function policyBanner(sources: readonly string[]): string {
  return `Generated from ${sources.map((s) => `\`${s}\``).join(', ')} by \`scripts/generate-policies.ts\`. Do not edit: regenerate with \`${REGENERATE_COMMAND}\`; CI fails when these files differ from what the code generates.`;
}
