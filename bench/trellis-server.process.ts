import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { repoRoot } from './repo-root';
import { serverEntry } from './server.build';

/** Lines of the server's output kept for error reports. */
const KEPT_LINES = 400;

/** The built Trellis server, running as a child process of the benchmark. */
export interface TrellisServerProcess {
  /** e.g. `http://127.0.0.1:40123`. */
  url: string;
  pid: number;
  /** The last lines it wrote (stdout and stderr). */
  logs(): string[];
  /** VmRSS and VmHWM (peak) of the process, in bytes; null once it is gone. */
  memory(): { rssBytes: number; peakRssBytes: number } | null;
  /**
   * SIGTERM, then SIGKILL after 30 s (the server forces its own exit after its shutdown grace
   * plus 15 s, 25 s by default); resolves with the exit code or signal.
   */
  stop(): Promise<string>;
}

/**
 * Starts `node dist/src/main.js` (on the Node running the benchmark) with `env` over a clean
 * environment: no TRELLIS_* variable of the caller's, HOST 127.0.0.1, PORT a free port. Resolves
 * once GET /health answers 200.
 * @throws Error with its output when it exits first or is not healthy within `timeoutMs`.
 */
export async function startTrellisServer(
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<TrellisServerProcess> {
  const base = { ...process.env };
  for (const key of Object.keys(base)) {
    if (key.startsWith('TRELLIS_') || ['PORT', 'HOST', 'MONGODB_URI'].includes(key)) {
      delete base[key];
    }
  }
  const port = await freePort();
  const child = spawn(process.execPath, [serverEntry()], {
    cwd: repoRoot(),
    env: { ...base, HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      lines.push(...chunk.split('\n').filter(Boolean));
      if (lines.length > KEPT_LINES) lines.splice(0, lines.length - KEPT_LINES);
    });
  }
  const exited = new Promise<string>((done) =>
    child.once('exit', (code, signal) => done(signal ?? String(code))),
  );
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  const url = `http://127.0.0.1:${port}`;
  const server: TrellisServerProcess = {
    url,
    pid: child.pid!,
    logs: () => [...lines],
    memory: () => processMemory(child),
    stop: async () => {
      process.removeListener('exit', kill);
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(kill, 30_000);
      const how = await exited;
      clearTimeout(timer);
      return how;
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${await exited}) before it was up:\n${lines.join('\n')}`);
    }
    const healthy = await fetch(`${url}/health`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (healthy) return server;
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`the server was not healthy within ${timeoutMs} ms:\n${lines.join('\n')}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function processMemory(child: ChildProcess): { rssBytes: number; peakRssBytes: number } | null {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
    return { rssBytes: kb('VmRSS') * 1024, peakRssBytes: kb('VmHWM') * 1024 };
  } catch {
    return null;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}
