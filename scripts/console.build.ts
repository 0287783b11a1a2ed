/**
 * Builds the web console (libs/orchestration/console) with esbuild into `console/dist` of the
 * library: index.html, and under assets/ the content-hashed app bundle, its stylesheet and the
 * layout web worker. `npm run build:console` runs it (`prestart` and `prebuild` too; nest-cli
 * then copies the result into dist/); the integration tests' global setup builds it when missing.
 */
import { build, Metafile } from 'esbuild';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const SOURCES = join(ROOT, 'libs', 'orchestration', 'console');
/** Where the library's console module looks for the build by default. */
export const CONSOLE_DIST = join(SOURCES, 'dist');

/** The name of the output file ending in `ext` in an esbuild metafile. */
function outputOf(metafile: Metafile, ext: string): string {
  const name = Object.keys(metafile.outputs).find((file) => file.endsWith(ext));
  if (!name) throw new Error(`esbuild wrote no ${ext} file`);
  return basename(name);
}

/** Builds the console into `outDir` (default CONSOLE_DIST, emptied first); resolves with its files. */
export async function buildConsole(outDir = CONSOLE_DIST): Promise<string[]> {
  const assets = join(outDir, 'assets');
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(assets, { recursive: true });
  const common = {
    bundle: true,
    minify: true,
    sourcemap: 'linked' as const,
    target: 'chrome120',
    outdir: assets,
    entryNames: '[name]-[hash]',
    metafile: true,
    logLevel: 'warning' as const,
    absWorkingDir: ROOT,
  };
  const worker = await build({
    ...common,
    entryPoints: [join(SOURCES, 'src', 'dag', 'layout.worker.ts')],
    format: 'iife',
  });
  // NOTE: `metafile: true` above: esbuild always returns one then.
  const workerMeta = worker.metafile!;
  const workerFile = outputOf(workerMeta, '.js');
  const app = await build({
    ...common,
    entryPoints: [join(SOURCES, 'src', 'main.tsx')],
    format: 'esm',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    define: { __LAYOUT_WORKER__: JSON.stringify(workerFile) },
  });
  const html = readFileSync(join(SOURCES, 'index.html'), 'utf8')
    .replace('%APP_JS%', outputOf(app.metafile!, '.js'))
    .replace('%APP_CSS%', outputOf(app.metafile!, '.css'));
  writeFileSync(join(outDir, 'index.html'), html);
  return [...Object.keys(workerMeta.outputs), ...Object.keys(app.metafile!.outputs), 'index.html'];
}

/** Newest modification time of the files under `dir`, `dist` left out. */
function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist') continue;
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

/** Whether CONSOLE_DIST holds a build newer than every console source. */
export function consoleBuildIsCurrent(): boolean {
  const index = join(CONSOLE_DIST, 'index.html');
  return existsSync(index) && statSync(index).mtimeMs >= newest(SOURCES);
}

if (require.main === module) {
  const started = performance.now();
  buildConsole(process.argv[2] ? resolve(process.argv[2]) : undefined).then(
    (files) => {
      const ms = Math.round(performance.now() - started);
      process.stdout.write(`console built in ${ms} ms: ${files.length} files\n`);
    },
    (error: Error) => {
      process.stderr.write(`console build failed: ${error.message}\n`);
      process.exit(1);
    },
  );
}
