#!/usr/bin/env node
/**
 * The `trellis` command of this repository. npm links it into node_modules/.bin (this folder is
 * a `file:` devDependency of the root package), so `npx trellis ...` finds it after `npm ci`.
 *
 * It runs the built CLI, dist/src/cli.js, on Node 24: when started by an older `node` it re-runs
 * itself with the repository's own Node (the `node` devDependency), and when the build is missing
 * (a fresh clone) it builds once with `nest build` first.
 */
'use strict';

const { spawn, spawnSync } = require('node:child_process');
const { existsSync, realpathSync } = require('node:fs');
const { join, resolve } = require('node:path');

const MIN_NODE_MAJOR = 24;
const ROOT = resolve(realpathSync(__dirname), '..', '..', '..');
const CLI = join(ROOT, 'dist', 'src', 'cli.js');
const LOCAL_NODE = join(ROOT, 'node_modules', 'node', 'bin', 'node');

function fail(message) {
  process.stderr.write(`trellis: ${message}\n`);
  process.exit(2);
}

/** Re-runs this launcher with the repository's Node 24 and exits with its outcome. */
function rerunWithLocalNode() {
  if (!existsSync(LOCAL_NODE)) {
    fail(
      `needs Node >= ${MIN_NODE_MAJOR} (this is ${process.version}); run \`npm ci\` and use \`npx trellis\``,
    );
  }
  const child = spawn(LOCAL_NODE, [__filename, ...process.argv.slice(2)], { stdio: 'inherit' });
  // NOTE: a Ctrl-C reaches the child through the terminal's process group, so it is ignored here
  // (the child cancels and exits 130); a SIGTERM sent to this process alone is passed on.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
}

/** Builds dist/ once (a fresh clone); the build output goes to stderr. */
function buildOnce() {
  process.stderr.write('trellis: the CLI is not built yet; building it once (npm run build)...\n');
  let nest;
  try {
    nest = require.resolve('@nestjs/cli/bin/nest.js', { paths: [ROOT] });
  } catch {
    fail('cannot find @nestjs/cli; run `npm ci` first');
  }
  const built = spawnSync(process.execPath, [nest, 'build'], {
    cwd: ROOT,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  if (built.status !== 0 || !existsSync(CLI))
    fail('the build failed; fix it and run `npm run build`');
}

if (Number(process.versions.node.split('.')[0]) < MIN_NODE_MAJOR) {
  rerunWithLocalNode();
} else {
  if (!existsSync(CLI)) buildOnce();
  require(CLI);
}
