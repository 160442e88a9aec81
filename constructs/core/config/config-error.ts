/**
 * A config problem an operator can act on: where (field path), what was received, what is wrong,
 * and how to fix it. Every validation step returns these instead of throwing, so all problems are
 * reported at once.
 */
export interface ConfigIssue {
  /** Dotted field path, e.g. `targets.prod.network.cidr`; `(file)` for file-level problems. */
  readonly path: string;
  /** The value found at the path (undefined when the field is missing). */
  readonly received: unknown;
  /** What is wrong, one clause. */
  readonly message: string;
  /** What to change, one clause. */
  readonly fix: string;
}

/** Thrown only at the program boundary (synthesis), carrying every issue. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly ConfigIssue[],
  ) {
    super(formatIssues(source, issues));
    this.name = 'ConfigError';
  }
}

export function joinPath(parts: readonly (string | number)[]): string {
  return parts
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$-]*$/.test(p) ? (i === 0 ? p : `.${p}`) : `[${JSON.stringify(p)}]`))
    .join('');
}

/** Renders a received value briefly: strings quoted, long values cut, missing says so. */
export function renderValue(value: unknown): string {
  if (value === undefined) return 'nothing (field missing)';
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.path}: got ${renderValue(issue.received)}: ${issue.message}. Fix: ${issue.fix}`;
}

export function formatIssues(source: string, issues: readonly ConfigIssue[]): string {
  const n = issues.length;
  return [`${source}: ${n} problem${n === 1 ? '' : 's'} found, nothing was synthesized:`, ...issues.map((i) => `  - ${formatIssue(i)}`)].join('\n');
}
