/** What the schema gate reports: where (stack, address, attribute path), what is wrong, the fix. */

export type CheckId =
  | 'unknown-type'
  | 'unknown-argument'
  | 'computed-only'
  | 'missing-required'
  | 'wrong-type'
  | 'block-shape'
  | 'undeclared-reference'
  | 'unknown-attribute'
  | 'provider-schema';

export interface Finding {
  readonly stack: string;
  /** Terraform address: `kubernetes_deployment_v1.x`, `data.aws_eks_cluster.x`, `provider.kubernetes`, `output.x`. */
  readonly address: string;
  /** Attribute path inside the block, e.g. `spec.template.spec.container[0].image`; empty for the block itself. */
  readonly path: string;
  readonly check: CheckId;
  readonly problem: string;
  readonly fix: string;
}

export function formatFinding(f: Finding): string {
  return `${f.stack}: ${f.address}${f.path ? ` ${f.path}` : ''}: ${f.problem}. Fix: ${f.fix}`;
}

export function formatFindings(findings: readonly Finding[]): string {
  return findings.map(formatFinding).join('\n');
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The candidate nearest to a misspelt name, if one is near enough to be a likely intent. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best;
}

/** "did you mean x?" or the list of what is allowed (shortened). */
export function suggestion(name: string, candidates: readonly string[], what: string): string {
  const near = closest(name, candidates);
  if (near) return `did you mean "${near}"?`;
  const shown = [...candidates].sort();
  return shown.length === 0
    ? `this block takes no ${what}`
    : `use one of the ${what} the provider defines: ${shown.slice(0, 12).join(', ')}${shown.length > 12 ? `, ... (${shown.length} in all)` : ''}`;
}
