import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo-root';

/** The built server's entry point. */
export function serverEntry(): string {
  return join(repoRoot(), 'dist', 'src', 'main.js');
}

/** Newest modification time (ms) of the .ts files under `dir`, specs left out. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts')) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * Makes sure dist/src/main.js is the build of the current sources: `auto` runs `npm run build`
 * when it is missing or older than a source file under src/ or libs/, `always` runs it
 * regardless, `never` only checks that it exists.
 * @returns what was done, for the report.
 * @throws Error when the build fails, or when `never` finds no build.
 */
export function ensureServerBuild(mode: 'auto' | 'always' | 'never'): string {
  const root = repoRoot();
  const entry = serverEntry();
  const built = existsSync(entry) ? statSync(entry).mtimeMs : 0;
  if (mode === 'never') {
    if (!built) throw new Error(`${entry} is missing: run \`npm run build\` (BENCH_BUILD=never)`);
    return 'existing build (BENCH_BUILD=never)';
  }
  const sources = Math.max(newestSource(join(root, 'src')), newestSource(join(root, 'libs')));
  if (mode === 'auto' && built >= sources) return 'existing build (newer than src/ and libs/)';
  const t0 = performance.now();
  execFileSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return `built with \`npm run build\` in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
}
