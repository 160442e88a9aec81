/**
 * Config loading for commands: the same resolution (--config, else $RUNNER_KIT_CONFIG, else
 * ./runner-kit.yaml) and the same validation (`loadConfigFile`) as synthesis, against the command's
 * own `io` rather than the process, so tests run in-process.
 */
import * as path from 'node:path';
import { loadConfigFile, resolveConfigPath, type LoadResult } from '../constructs/core/config/load';
import type { CliIo } from './command';

export interface LoadedConfig {
  /** Absolute path of the config file. */
  readonly file: string;
  /** The path as shown to people: relative to the working directory when inside it, else absolute. */
  readonly display: string;
  readonly result: LoadResult;
}

/** Resolves and validates the config; never throws for bad input (an unreadable file is an issue). */
export function loadConfig(explicit: string | undefined, io: CliIo): LoadedConfig {
  const file = resolveConfigPath(explicit, io.env, io.cwd);
  const display = displayPath(file, io.cwd);
  const result = loadConfigFile(file);
  return { file, display, result: { ...result, source: display } };
}

/** A path relative to `cwd` when it lies inside it, else the absolute path. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}
