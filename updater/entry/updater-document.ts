/**
 * The updater's configuration document, as every cloud's entry receives it (a JSON text the kit
 * wrote into the function's, job's or app's settings): read it, collect every problem, and fail
 * once with all of them, naming the setting.
 */

/** Parses the JSON text of setting `env`; `where` names what a person may have edited (environment, settings). */
export function readUpdaterDocument(text: string | undefined, env: string, where = 'environment'): unknown {
  if (text === undefined || text.trim() === '') {
    throw new Error(`${env} is not set: the updater was not deployed by the kit (or its ${where} was edited)`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${env} is not JSON: ${(error as Error).message}`);
  }
}

/** Collects what is wrong with the document of setting `env`, then throws once listing all of it. */
export class DocumentProblems {
  private readonly problems: string[] = [];

  constructor(private readonly env: string) {}

  /** Records `what` unless `ok`. */
  need(ok: boolean, what: string): void {
    if (!ok) this.problems.push(what);
  }

  /** Throws `<env> is invalid: <every problem>` if there is any. */
  throwIfAny(): void {
    if (this.problems.length > 0) throw new Error(`${this.env} is invalid: ${this.problems.join('; ')}`);
  }
}

/** A non-empty string. */
export const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';
