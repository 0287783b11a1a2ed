/**
 * The `trellis` command line end to end: every test runs the real command as a child process,
 * through the launcher that `npx trellis` runs (tools/trellis-cli), on the build in dist/ (rebuilt
 * first when a source is newer), and checks its exit code and output. `submit` and `status` talk
 * to a real server started from src/main.ts on a free port.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const CLI_JS = join(ROOT, 'dist', 'src', 'cli.js');
const LAUNCHER = join(ROOT, 'tools', 'trellis-cli', 'bin', 'trellis.js');
const API_KEY = 'cli-e2e-key-0123456789';

// NOTE: each test starts a Node process that boots Nest; a busy machine needs the room.
jest.setTimeout(60_000);

/** The child's environment: nothing from the outer shell decides where or how it connects. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['TRELLIS_URL', 'TRELLIS_API_KEY', 'TRELLIS_API_KEYS', 'MONGODB_URI', 'PORT'])
    delete env[name];
  return { ...env, ...extra };
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A running child process whose output is collected and can be awaited. */
class Child {
  stdout = '';
  stderr = '';
  readonly exited: Promise<Outcome>;
  private readonly process: ChildProcess;

  constructor(argv: string[], env: NodeJS.ProcessEnv) {
    this.process = spawn(process.execPath, argv, { cwd: ROOT, env, stdio: 'pipe' });
    this.process.stdout!.setEncoding('utf8').on('data', (chunk: string) => (this.stdout += chunk));
    this.process.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolveExit, reject) => {
      this.process.on('error', reject);
      this.process.on('close', (code) =>
        resolveExit({ code, stdout: this.stdout, stderr: this.stderr }),
      );
    });
  }

  /** Resolves with the first match of `pattern` in stdout; rejects if the process ends first. */
  waitForOutput(pattern: RegExp, what: string, ms = 45_000): Promise<RegExpExecArray> {
    return new Promise((resolveMatch, reject) => {
      const check = () => {
        const match = pattern.exec(this.stdout);
        if (!match) return;
        done();
        resolveMatch(match);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out waiting for ${what}; stdout:\n${this.stdout}${this.stderr}`));
      }, ms);
      const ended = () => {
        done();
        reject(new Error(`exited before ${what}; output:\n${this.stdout}${this.stderr}`));
      };
      const done = () => {
        clearTimeout(timer);
        this.process.stdout!.off('data', check);
        this.process.off('close', ended);
      };
      this.process.stdout!.on('data', check);
      this.process.on('close', ended);
      check();
    });
  }

  kill(signal: NodeJS.Signals): void {
    this.process.kill(signal);
  }
}

/** Starts `trellis ARGS` the way `npx trellis` does. */
function startCli(args: string[], env: Record<string, string> = {}): Child {
  return new Child([LAUNCHER, ...args], cleanEnv(env));
}

/** Runs `trellis ARGS` to its end. */
function trellis(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return startCli(args, env).exited;
}

/** Newest modification time of the TypeScript sources that go into dist/. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts'))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

function ensureBuilt(): void {
  const sources = Math.max(newestSource(join(ROOT, 'src')), newestSource(join(ROOT, 'libs')));
  if (existsSync(CLI_JS) && statSync(CLI_JS).mtimeMs >= sources) return;
  const nest = require.resolve('@nestjs/cli/bin/nest.js', { paths: [ROOT] });
  execFileSync(process.execPath, [nest, 'build'], { cwd: ROOT, stdio: 'pipe' });
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error()),
      );
    });
  });
}

let dir: string;
let files = 0;

/** Writes a graph (or any text) to a temp file and returns its path. */
function file(content: unknown): string {
  const path = join(dir, `graph-${++files}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** DATA_PROCESSING doubles `input.n`, VALIDATION wants 42, then a short DELAY. */
const doubling = {
  name: 'doubling',
  nodes: [
    { id: 'double', type: 'DATA_PROCESSING', config: { expression: 'input.n * 2' } },
    {
      id: 'check',
      type: 'VALIDATION',
      dependsOn: ['double'],
      config: { rules: [{ path: 'upstream.double', operator: 'eq', value: 42 }] },
    },
    { id: 'finish', type: 'DELAY', dependsOn: ['check'], config: { ms: 1 } },
  ],
};

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), 'trellis-cli-'));
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('trellis', () => {
  it('lists its commands and documents its exit codes', async () => {
    const { code, stdout } = await trellis(['--help']);
    expect(code).toBe(0);
    for (const command of ['validate <file>', 'run [options] <file>', 'submit', 'status'])
      expect(stdout).toContain(command);
    expect(stdout).toMatch(/Exit codes:[\s\S]*130 {2}interrupted/);
  });

  it('exits 2 on an unknown option', async () => {
    const { code, stderr } = await trellis(['run', file(doubling), '--no-such-option']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--no-such-option'");
  });
});

describe('trellis validate', () => {
  it('prints the node and edge counts of a valid graph and exits 0', async () => {
    const { code, stdout } = await trellis(['validate', file(doubling)]);
    expect({ code, stdout }).toEqual({ code: 0, stdout: 'valid: 3 nodes, 2 edges\n' });
  });

  it('lists every problem of a graph with a cycle and an unknown dependency and exits 1', async () => {
    const { code, stdout } = await trellis([
      'validate',
      file({
        name: 'broken',
        nodes: [
          { id: 'a', type: 'DELAY', dependsOn: ['c'], config: { ms: 1 } },
          { id: 'b', type: 'DELAY', dependsOn: ['a'], config: { ms: 1 } },
          { id: 'c', type: 'DELAY', dependsOn: ['b'], config: { ms: 1 } },
          { id: 'd', type: 'DELAY', dependsOn: ['x'], config: { ms: 1 } },
        ],
      }),
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^invalid: 2 problems$/m);
    expect(stdout).toMatch(
      /UNKNOWN_DEPENDENCY {2}nodes\[3\]\.dependsOn.* {2}node d depends on unknown node x/,
    );
    expect(stdout).toMatch(/CYCLE .*a -> b -> c -> a/);
  });

  it('lists every problem with its code and path', async () => {
    const { code, stdout } = await trellis([
      'validate',
      file({
        name: 'sloppy',
        nodes: [
          { id: 'a', type: 'DELAY', config: { ms: 1 } },
          { id: 'a', type: 'DELAY', config: { ms: 1 } },
          { id: 'b', type: 'NO_SUCH_TYPE' },
          { id: 'c', type: 'DELAY', dependsOn: ['ghost'], config: { ms: 1 } },
        ],
      }),
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^invalid: 3 problems$/m);
    expect(stdout).toMatch(
      /^ {2}DUPLICATE_NODE_ID {2}nodes\[1\]\.id {2}node id a is used more than once$/m,
    );
    expect(stdout).toMatch(
      /^ {2}UNKNOWN_NODE_TYPE {2}nodes\[2\]\.type {2}node b has unknown type NO_SUCH_TYPE/m,
    );
    expect(stdout).toMatch(
      /^ {2}UNKNOWN_DEPENDENCY {2}nodes\[3\]\.dependsOn.* {2}node c depends on unknown node ghost$/m,
    );
  });

  it('prints the path of a cycle', async () => {
    const { code, stdout } = await trellis([
      'validate',
      file({
        name: 'loop',
        nodes: [
          { id: 'a', type: 'DELAY', dependsOn: ['c'], config: { ms: 1 } },
          { id: 'b', type: 'DELAY', dependsOn: ['a'], config: { ms: 1 } },
          { id: 'c', type: 'DELAY', dependsOn: ['b'], config: { ms: 1 } },
        ],
      }),
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^ {2}CYCLE {2}(nodes\[\d\]\.dependsOn {2})?dependency cycle: a -> b -> c -> a$/m,
    );
  });

  it('exits 2 with a clear message for a file that is not JSON or does not exist', async () => {
    const bad = file('{ "name": "half');
    const notJson = await trellis(['validate', bad]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain(`trellis: ${bad} is not valid JSON:`);
    expect(notJson.stdout).toBe('');

    const missing = await trellis(['validate', join(dir, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `trellis: cannot read ${join(dir, 'missing.json')}: no such file`,
    );
  });
});

describe('trellis run', () => {
  it('runs a passing graph, printing each node as it starts and completes, and exits 0', async () => {
    const { code, stdout } = await trellis([
      'run',
      file({
        name: 'passing',
        nodes: [
          { id: 'first', type: 'DELAY', config: { ms: 5 } },
          {
            id: 'second',
            type: 'DATA_PROCESSING',
            dependsOn: ['first'],
            config: { expression: '"ok"' },
          },
        ],
      }),
    ]);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'running graph "passing": 2 nodes',
      '[0/2] started   first',
      '[1/2] completed first',
      '[1/2] started   second',
      '[2/2] completed second',
    ]);
    expect(lines[5]).toMatch(
      /^execution [0-9a-f]{24} completed in \d+ ms: 2 nodes \(2 completed\)$/,
    );
  });

  it('exits 1 when a node fails, printing the failure as it happens and in the summary', async () => {
    const { code, stdout } = await trellis([
      'run',
      file({
        name: 'failing',
        nodes: [
          {
            id: 'check',
            type: 'VALIDATION',
            config: { rules: [{ path: 'input.release', operator: 'exists' }] },
          },
          { id: 'deploy', type: 'DELAY', dependsOn: ['check'], config: { ms: 1 } },
        ],
      }),
    ]);
    expect(code).toBe(1);
    expect(stdout).toContain(
      '[1/2] failed    check: 1 of 1 validation rule(s) broken: input.release must exist',
    );
    expect(stdout).toContain('[2/2] skipped   deploy: dependency check failed');
    expect(stdout).toMatch(/^execution [0-9a-f]{24} failed in .*\(1 failed, 1 skipped\)$/m);
    expect(stdout).toContain('error: NODES_FAILED: 1 node(s) failed: check');
    expect(stdout).toMatch(
      /^ {2}check +failed +VALIDATION_FAILED: 1 of 1 validation rule\(s\) broken/m,
    );
  });

  it('passes --input to the execution', async () => {
    const graph = file(doubling);
    const right = await trellis(['run', graph, '--input', '{"n":21}']);
    expect(right.code).toBe(0);
    expect(right.stdout).toContain('[3/3] completed finish');

    const wrong = await trellis(['run', graph, '--input', '{"n":2}']);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain('upstream.double must equal 42 (was 4)');

    const fromFile = await trellis(['run', graph, '--input', `@${file({ n: 21 })}`]);
    expect(fromFile.code).toBe(0);
  });

  it('exits 2 for an --input that is not a JSON object', async () => {
    const { code, stderr } = await trellis(['run', file(doubling), '--input', '[21]']);
    expect(code).toBe(2);
    expect(stderr).toContain('trellis: --input must be a JSON object');
  });

  it('exits 2 and lists the problems of an invalid graph', async () => {
    const graph = file({ name: 'invalid', nodes: [{ id: 'a', type: 'DELAY', dependsOn: ['zz'] }] });
    const { code, stderr, stdout } = await trellis(['run', graph]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`trellis: ${graph}: the graph is invalid`);
    expect(stderr).toMatch(/UNKNOWN_DEPENDENCY .*node a depends on unknown node zz/);
  });

  it('runs command actions only for executables given with --allow-command', async () => {
    const graph = file({
      name: 'commands',
      nodes: [{ id: 'setup', type: 'SETUP', config: { command: { argv: ['true'] } } }],
    });
    const refused = await trellis(['run', graph]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/failed +setup: Command true refused/);

    const allowed = await trellis(['run', graph, '--allow-command', 'true']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('[1/1] completed setup');
  });

  it('cancels the execution on Ctrl-C, still runs cleanup nodes, and exits 130', async () => {
    const child = startCli([
      'run',
      '--allow-command',
      'true',
      file({
        name: 'long',
        nodes: [
          { id: 'sleep', type: 'DELAY', config: { ms: 120_000 } },
          { id: 'after', type: 'DELAY', dependsOn: ['sleep'], config: { ms: 1 } },
          {
            id: 'cleanup',
            type: 'CLEANUP',
            dependsOn: ['sleep'],
            config: { command: { argv: ['true'] } },
          },
        ],
      }),
    ]);
    await child.waitForOutput(/started +sleep/, 'the long node to start');
    child.kill('SIGINT');
    const { code, stdout } = await child.exited;
    expect(code).toBe(130);
    expect(stdout).toContain('interrupted: cancelling the execution');
    expect(stdout).toMatch(/cancelled sleep: interrupted by SIGINT/);
    expect(stdout).toMatch(/cancelled after/);
    expect(stdout).toMatch(/completed cleanup/);
    expect(stdout).toMatch(/^execution [0-9a-f]{24} cancelled in /m);
    expect(stdout).toContain('error: EXECUTION_CANCELLED: interrupted by SIGINT');
  });
});

describe('trellis submit and status, against a running server', () => {
  let server: Child;
  let url: string;
  const withKey = () => ({ TRELLIS_URL: url, TRELLIS_API_KEY: API_KEY });

  beforeAll(async () => {
    server = new Child(
      ['-r', '@swc-node/register', 'src/main.ts'],
      cleanEnv({
        PORT: '0',
        HOST: '127.0.0.1',
        TRELLIS_API_KEYS: API_KEY,
        // NOTE: the interrupted-follow test leaves a long node running; do not wait for it at exit.
        TRELLIS_SHUTDOWN_GRACE_MS: '200',
      }),
    );
    const [, listening] = await server.waitForOutput(
      /Trellis listening on (http:\/\/127\.0\.0\.1:\d+)/,
      'the server to listen',
      120_000,
    );
    url = listening;
  }, 150_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    await server?.exited;
  });

  it('stores the graph, starts an execution and prints both ids', async () => {
    const { code, stdout } = await trellis(
      ['submit', file(doubling), '--input', '{"n":21}'],
      withKey(),
    );
    expect(code).toBe(0);
    const [, graphId, executionId] =
      /^graph +([0-9a-f]{24})\nexecution +([0-9a-f]{24}) \((pending|running|completed)\)\n$/.exec(
        stdout,
      ) ?? [];
    expect(graphId).toBeDefined();

    const status = await trellis(['status', executionId], withKey());
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(new RegExp(`^execution +${executionId}$`, 'm'));
    expect(status.stdout).toMatch(new RegExp(`^graph +${graphId}$`, 'm'));
    expect(status.stdout).toMatch(/^NODE +STATUS +ATTEMPTS +ERROR$/m);
    for (const node of ['double', 'check', 'finish'])
      expect(status.stdout).toMatch(new RegExp(`^${node} `, 'm'));
  });

  it('starts an execution of a stored graph with --graph; the same --idempotency-key returns the first', async () => {
    const stored = await trellis(['submit', file(doubling), '--input', '{"n":1}'], withKey());
    const graphId = /^graph +([0-9a-f]{24})$/m.exec(stored.stdout)?.[1];
    expect(graphId).toBeDefined();
    const submit = () =>
      trellis(
        ['submit', '--graph', graphId!, '--idempotency-key', 'nightly-1', '--input', '{"n":2}'],
        withKey(),
      );

    const first = await submit();
    const again = await submit();

    expect([first.code, again.code]).toEqual([0, 0]);
    const executionOf = (out: string) => /^execution +([0-9a-f]{24}) /m.exec(out)?.[1];
    expect(executionOf(first.stdout)).toBeDefined();
    expect(executionOf(again.stdout)).toBe(executionOf(first.stdout));
    expect(again.stdout).toContain('existing execution for key nightly-1');
    const both = await trellis(['submit', file(doubling), '--graph', graphId!], withKey());
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('a graph file or --graph ID, not both');
  });

  it('follows the execution with --wait and exits 0 when it completes', async () => {
    const { code, stdout } = await trellis([
      'submit',
      file(doubling),
      '--input',
      '{"n":21}',
      '--wait',
      '--url',
      url,
      '--api-key',
      API_KEY,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('[0/3] started   double');
    expect(stdout).toContain('[3/3] completed finish');
    expect(stdout).toMatch(/^execution [0-9a-f]{24} completed in .*\(3 completed\)$/m);
  });

  it('exits 1 with --wait when the execution fails; status shows the failed node and exits 1', async () => {
    const waited = await trellis(
      ['submit', file(doubling), '--input', '{"n":2}', '--wait'],
      withKey(),
    );
    expect(waited.code).toBe(1);
    expect(waited.stdout).toContain(
      '[2/3] failed    check: 1 of 1 validation rule(s) broken: upstream.double must equal 42 (was 4)',
    );
    expect(waited.stdout).toContain('[3/3] skipped   finish: dependency check failed');
    const [, executionId] = /^execution +([0-9a-f]{24}) /m.exec(waited.stdout) ?? [];

    const status = await trellis(['status', executionId], withKey());
    expect(status.code).toBe(1);
    expect(status.stdout).toMatch(/^status +failed$/m);
    expect(status.stdout).toMatch(/^error +NODES_FAILED: 1 node\(s\) failed: check$/m);
    expect(status.stdout).toMatch(/^double +completed +1$/m);
    expect(status.stdout).toMatch(/^check +failed +1 +VALIDATION_FAILED: 1 of 1 validation rule/m);
    expect(status.stdout).toMatch(/^finish +skipped +0$/m);
  });

  it('stops following on Ctrl-C with exit 130 while the execution goes on on the server', async () => {
    const child = startCli(
      [
        'submit',
        '--wait',
        file({
          name: 'long-remote',
          nodes: [{ id: 'sleep', type: 'DELAY', config: { ms: 60_000 } }],
        }),
      ],
      withKey(),
    );
    const [, executionId] = await child.waitForOutput(
      /^execution +([0-9a-f]{24}) /m,
      'the execution id',
    );
    await child.waitForOutput(/started +sleep/, 'the long node to start');
    child.kill('SIGINT');
    const { code, stdout } = await child.exited;
    expect(code).toBe(130);
    expect(stdout).toContain(`stopped following; execution ${executionId} goes on on the server`);

    const status = await trellis(['status', executionId], withKey());
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/^status +running$/m);
    expect(status.stdout).toMatch(/^sleep +running +1$/m);
  });

  it('exits 2 and prints the code, message and every detail when the server rejects the graph', async () => {
    const { code, stderr, stdout } = await trellis(
      [
        'submit',
        file({
          name: 'rejected',
          nodes: [{ id: 'a', type: 'DELAY', dependsOn: ['nope'], config: { ms: 1 } }],
        }),
      ],
      withKey(),
    );
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^trellis: HTTP 400 GRAPH_INVALID: /m);
    expect(stderr).toMatch(
      /^ {2}UNKNOWN_DEPENDENCY {2}nodes\[0\]\.dependsOn.* {2}node a depends on unknown node nope$/m,
    );
  });

  it('exits 3 when the execution does not exist', async () => {
    const { code, stderr } = await trellis(['status', 'aaaaaaaaaaaaaaaaaaaaaaaa'], withKey());
    expect(code).toBe(3);
    expect(stderr).toMatch(/^trellis: HTTP 404 EXECUTION_NOT_FOUND: /m);
  });

  it('exits 3 without the API key', async () => {
    const { code, stderr } = await trellis(['status', 'aaaaaaaaaaaaaaaaaaaaaaaa', '--url', url]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^trellis: HTTP 401 UNAUTHORIZED: /m);
  });

  it('exits 3 when nothing listens at the URL', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const { code, stderr } = await trellis(['status', 'aaaaaaaaaaaaaaaaaaaaaaaa', '--url', closed]);
    expect(code).toBe(3);
    expect(stderr).toContain(`trellis: cannot reach the Trellis server at ${closed}: ECONNREFUSED`);
  });
});
