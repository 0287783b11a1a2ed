import { resolve } from 'node:path';
import {
  OrchestrationConsoleOptions,
  ResolvedConsoleOptions,
} from './orchestration-console-options.interface';

/** `a/b/` -> `/a/b`; `''` and `/` -> `''`. */
function normalisePath(path: string): string {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}` : '';
}

/** Applies the defaults of `OrchestrationConsoleOptions` (in one place). */
export function resolveConsoleOptions(
  options: OrchestrationConsoleOptions,
): ResolvedConsoleOptions {
  const path = normalisePath(options.path ?? 'console');
  if (!path) throw new Error('OrchestrationConsoleModule: `path` must not be the root');
  return {
    path,
    apiPath: normalisePath(options.apiPath ?? ''),
    // NOTE: the same relative place from the sources (libs/orchestration/src/console) and from
    // the build (dist/libs/orchestration/src/console, where nest-cli copies the assets).
    assetsDir: options.assetsDir ?? resolve(__dirname, '..', '..', 'console', 'dist'),
  };
}
