/**
 * Throwaway Redis servers (Debian's redis-server) for the tests and the benchmark: started on a
 * free port with a fresh directory, no persistence unless asked, stopped and deleted at the end.
 * `scripts/redis.sh` installs redis-server when it is missing.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ferretdb.launcher';

/** A redis-server that `startRedis` started. */
export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  process: ChildProcess;
  /** Stops it (SIGTERM, then SIGKILL after 5 s); `keepDir` keeps its directory for a restart. */
  stop(options?: { keepDir?: boolean; signal?: NodeJS.Signals }): Promise<void>;
}

/** Installs redis-server with scripts/redis.sh when it is missing. */
export function installRedis(repoRoot: string, output: 'inherit' | 'ignore' = 'inherit'): void {
  execFileSync('bash', [join(repoRoot, 'scripts', 'redis.sh')], {
    stdio: ['ignore', output, 'inherit'],
  });
}

/**
 * Starts redis-server on `port` (default a free one) in `dir` (default a fresh temp dir).
 * `appendonly` keeps its data across a restart in the same dir.
 */
export async function startRedis(
  options: { port?: number; dir?: string; appendonly?: boolean } = {},
): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'trellis-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      options.appendonly ? 'yes' : 'no',
      '--protected-mode',
      'no',
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitForPort(port, child);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    process: child,
    async stop({ keepDir = false, signal = 'SIGTERM' } = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      if (!keepDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not listen on ${port} within 10 s`);
}
