/**
 * Node 22's on-disk compile cache for the modules a synthesis loads. Most of a synthesis's time
 * is V8 compiling the provider bindings (tens of megabytes of JavaScript) that every run loads
 * unchanged; with the cache, a later synthesis reuses the compiled code. Node checks each entry
 * against the module's content and its own version, so a changed module is compiled afresh.
 *
 * Node 20 has no compile cache (the call is then skipped); `NODE_DISABLE_COMPILE_CACHE=1` turns it
 * off (Node's own switch; any value, even empty, counts). The cache lives inside the checkout, beside the kit's other caches.
 */
import * as path from 'node:path';

export const COMPILE_CACHE_DIR = path.join(__dirname, '..', 'node_modules', '.cache', 'private-runner-kit', 'compile-cache');

/** Enables the cache when this Node has it; says whether it is on. */
export function enableCompileCache(dir = COMPILE_CACHE_DIR): boolean {
  const nodeModule = require('node:module') as { enableCompileCache?: (dir?: string) => { status: number }; constants?: { compileCacheStatus?: Record<string, number> } };
  if (typeof nodeModule.enableCompileCache !== 'function') return false;
  const { status } = nodeModule.enableCompileCache(dir);
  const s = nodeModule.constants?.compileCacheStatus ?? {};
  return status === s.ENABLED || status === s.ALREADY_ENABLED;
}
