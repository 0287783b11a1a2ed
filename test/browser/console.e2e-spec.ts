/**
 * The web console at /console in a real browser (Debian's chromium, playwright-core) against the
 * real server process on the suite's FerretDB: sign-in with an API key (and none without keys),
 * an example submitted and followed live to its end through an approval gate, a node and its
 * downstream retried, an execution cancelled (and an illegal cancel answered 409) then retried,
 * a validation error drawn on the graph, the list with filters and paging. Every page runs under
 * the console's CSP with no console error and no request to another origin.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { Browser, Page } from 'playwright-core';
import {
  TrellisServer,
  databaseName,
  databaseUri,
  dropDatabase,
  request,
  startServer,
  waitForStatus,
} from '../fixtures/trellis-server';
import { launchChromium } from './chromium.fixture';
import { callGraph, ConsolePage, waitForText, withConsolePage } from './console.fixture';

const SECRET = 'console-e2e-secret-0123456789';
const KEY_NAME = 'console-ops';
const AUTH = { authorization: `Bearer ${SECRET}` };
const TEST_TIMEOUT_MS = 60_000;
/** Chromium logs every 4xx answer to fetch as a console error: expected where a test asks for one. */
const HTTP_409 = /^console error: Failed to load resource: .*status of 409\b/;

const keyedUri = databaseUri(databaseName('console_keyed'));
const keylessUri = databaseUri(databaseName('console_keyless'));

const GATED_GRAPH = {
  name: 'console-gated',
  nodes: [
    { id: 'start', type: 'DELAY', config: { ms: 0 } },
    {
      id: 'gate',
      type: 'SYNCHRONIZATION',
      dependsOn: ['start'],
      timeoutMs: 600_000,
      config: { waitForSignal: true },
    },
    { id: 'after', type: 'DELAY', dependsOn: ['gate'], config: { ms: 0 } },
  ],
};

describe('the console at /console in a browser', () => {
  let browser: Browser;
  let keyed: TrellisServer;
  let keyless: TrellisServer;
  let service: Server;
  let serviceUrl: string;
  let serviceHealthy = false;

  beforeAll(async () => {
    service = createServer((_req, res) => {
      res.statusCode = serviceHealthy ? 200 : 503;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ healthy: serviceHealthy }));
    });
    await new Promise<void>((done) => service.listen(0, '127.0.0.1', done));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/flaky`;
    [browser, keyed, keyless] = await Promise.all([
      launchChromium(),
      startServer({ MONGODB_URI: keyedUri, TRELLIS_API_KEYS: `${KEY_NAME}:${SECRET}` }),
      startServer({ MONGODB_URI: keylessUri }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([browser?.close(), keyed?.stop(), keyless?.stop()]);
    await new Promise((done) => service?.close(done));
    await Promise.all([dropDatabase(keyedUri), dropDatabase(keylessUri)]);
  }, 30_000);

  /** Opens the keyed server's console at `path` with the key already given. */
  async function signedIn({ page }: ConsolePage, path: string): Promise<void> {
    await page.goto(`${keyed.url}/console${path}`);
    await page.getByTestId('api-key').fill(SECRET);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('api-key').waitFor({ state: 'detached' });
  }

  async function startGraph(definition: object, input: object = {}): Promise<string> {
    const graph = await request(`${keyed.url}/graphs`, { body: definition, headers: AUTH });
    expect(graph.status).toBe(201);
    const started = await request(`${keyed.url}/graphs/${graph.body.id}/executions`, {
      body: { input },
      headers: AUTH,
    });
    expect(started.status).toBe(201);
    return started.body.id as string;
  }

  function nodeStatus(page: Page, nodeId: string, status: string): Promise<unknown> {
    return page.waitForSelector(`[data-testid="node-${nodeId}"][data-status="${status}"]`);
  }

  describe('with API keys', () => {
    it(
      'asks for the key once, keeps it for the tab, sends it as a Bearer header and signs out',
      () =>
        withConsolePage(
          browser,
          keyed.url,
          'auth',
          async (c) => {
            const { page } = c;
            const served = await page.goto(`${keyed.url}/console`);
            const csp = served?.headers()['content-security-policy'] ?? '';
            await page.getByTestId('api-key').fill('not-the-key-0123456789');
            await page.getByTestId('sign-in').click();
            await page.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
            await page.getByTestId('api-key').fill(SECRET);
            await page.getByTestId('sign-in').click();
            await page.getByRole('heading', { name: 'Graphs', exact: true }).waitFor();
            await page.reload();
            await page.getByRole('heading', { name: 'Graphs', exact: true }).waitFor();
            const askedAgain = await page.getByTestId('api-key').count();
            const apiCalls = c.requests.filter((r) => new URL(r.url()).pathname === '/graphs');
            const bearer = await apiCalls.at(-1)!.allHeaders();
            await page.getByTestId('sign-out').click();
            await page.getByTestId('api-key').waitFor();

            expect(page.url()).toBe(`${keyed.url}/console/graphs`);
            expect(csp).toContain("script-src 'self'");
            expect(csp).toContain("style-src 'self'");
            expect(csp).not.toContain('unsafe-inline');
            expect(csp).toContain("frame-ancestors 'none'");
            expect(askedAgain).toBe(0);
            expect(bearer.authorization).toBe(`Bearer ${SECRET}`);
            expect(c.requests.some((r) => r.url().includes(SECRET))).toBe(false);
            expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
            // NOTE: the wrong key's 401 is logged by chromium as a console error: the one expected.
            expect(c.problems).toHaveLength(1);
            expect(c.problems[0]).toMatch(/status of 401\b/);
            expect(c.foreign()).toEqual([]);
          },
          () => keyed.logs(),
        ),
      TEST_TIMEOUT_MS,
    );

    it(
      'submits the example, starts it with input and an idempotency key, follows it live through its approval gate to the end',
      () =>
        withConsolePage(
          browser,
          keyed.url,
          'example',
          async (c) => {
            const { page } = c;
            await signedIn(c, '/graphs');
            await page.getByTestId('load-example').click();
            await page.getByTestId('validate').click();
            await waitForText(page, 'validation-result', '✓ Valid: 7 nodes, 8 edges.');
            await page.getByTestId('save-graph').click();
            await page.getByTestId('graph-name').waitFor();
            await page.locator('[data-testid="dag-canvas"][data-painted="true"]').waitFor();
            const listed = await page.locator('[data-testid^="node-"][role="option"]').count();
            await page.getByTestId('execution-input').fill('{ "version": "2.0.0" }');
            await page.getByTestId('idempotency-key').fill('console-e2e-release-1');
            await page.getByTestId('start-execution').click();
            await page.getByTestId('execution-status').waitFor();
            const executionId = new URL(page.url()).pathname.split('/').pop()!;

            await nodeStatus(page, 'approval', 'waiting');
            await waitForText(page, 'node-count-waiting', '1');
            await waitForText(page, 'execution-status', 'running');
            await c.screenshot('execution-waiting');
            await page.getByTestId('node-approval').click();
            await page.getByTestId('node-panel').waitFor();
            await page.getByTestId('signal-payload').fill('{ "approvedBy": "release-manager" }');
            await page.getByTestId('action-reason').fill('release approved');
            await page.getByTestId('action-signal').click();
            await waitForText(page, 'execution-status', 'completed');
            await waitForText(page, 'node-count-completed', '7');
            await nodeStatus(page, 'notify', 'completed');
            await page.getByTestId('node-deploy').click();
            await page.getByTestId('attempts').waitFor();
            await page.locator('[data-testid="fencing-token"]').filter({ hasText: /\d/ }).waitFor();
            await c.screenshot('execution-completed');
            const events = c.requests.find((r) => r.url().includes('/events'))!;
            const eventHeaders = await events.allHeaders();
            const execution = await request(`${keyed.url}/executions/${executionId}`, {
              headers: AUTH,
            });
            const approval = await request(
              `${keyed.url}/executions/${executionId}/nodes/approval`,
              { headers: AUTH },
            );
            // The same idempotency key answers the same execution.
            await page.goto(
              page.url().replace(/executions\/.*$/, `graphs/${execution.body.graphId}`),
            );
            await page.getByTestId('idempotency-key').fill('console-e2e-release-1');
            await page.getByTestId('start-execution').click();
            await page.getByTestId('notice').filter({ hasText: 'already existed' }).waitFor();

            expect(listed).toBe(7);
            expect(new URL(page.url()).pathname).toBe(`/console/executions/${executionId}`);
            expect(execution.body.status).toBe('completed');
            expect(execution.body.input).toMatchObject({ version: '2.0.0' });
            expect(execution.body.idempotencyKey).toBe('console-e2e-release-1');
            expect(approval.body.output).toEqual({ approvedBy: 'release-manager' });
            expect(eventHeaders.authorization).toBe(`Bearer ${SECRET}`);
            expect(events.url()).not.toContain(SECRET);
            expect(c.problems).toEqual([]);
            expect(c.foreign()).toEqual([]);
          },
          () => keyed.logs(),
        ),
      TEST_TIMEOUT_MS,
    );

    it(
      'retries a failed node and its downstream: they run again, the history says who and why',
      () =>
        withConsolePage(
          browser,
          keyed.url,
          'retry-downstream',
          async (c) => {
            const { page } = c;
            serviceHealthy = false;
            const executionId = await startGraph(callGraph('console-flaky', serviceUrl));
            await signedIn(c, `/executions/${executionId}`);
            await waitForText(page, 'execution-status', 'failed');
            await nodeStatus(page, 'call', 'failed');
            await nodeStatus(page, 'publish', 'skipped');
            serviceHealthy = true;
            await page.getByTestId('node-call').click();
            await page.getByTestId('action-reason').fill('the service is back');
            await page.getByTestId('action-retry-downstream').click();
            await waitForText(page, 'execution-status', 'completed');
            await nodeStatus(page, 'publish', 'completed');
            await waitForText(page, 'node-count-completed', '4');
            const history = page.getByTestId('node-history');
            await history.filter({ hasText: 'the service is back' }).waitFor();
            const byCell = await history
              .locator('tr', { hasText: 'the service is back' })
              .first()
              .innerText();

            expect(byCell).toContain(KEY_NAME);
            expect(c.problems).toEqual([]);
            expect(c.foreign()).toEqual([]);
          },
          () => keyed.logs(),
        ),
      TEST_TIMEOUT_MS,
    );

    it(
      'cancels with a reason, answers an illegal second cancel with its 409, then retries the execution',
      () =>
        withConsolePage(
          browser,
          keyed.url,
          'cancel',
          async (c) => {
            const { page } = c;
            const executionId = await startGraph(GATED_GRAPH);
            await signedIn(c, `/executions/${executionId}`);
            await nodeStatus(page, 'gate', 'waiting');
            await page.getByTestId('action-cancel').click();
            await page.getByTestId('dialog-reason').first().fill('wrong release');
            await page.getByTestId('cancel-dialog-confirm').click();
            await waitForText(page, 'execution-status', 'cancelled');
            await page.getByTestId('last-action').filter({ hasText: 'wrong release' }).waitFor();
            const lastAction = await page.getByTestId('last-action').innerText();
            await page.getByTestId('action-cancel').click();
            await page.getByTestId('cancel-dialog-confirm').click();
            const refused = await page.getByTestId('notice').filter({ hasText: '409' }).innerText();
            await page.getByTestId('action-retry').click();
            await page.getByTestId('retry-dialog-confirm').click();
            await waitForText(page, 'execution-status', 'running');
            await nodeStatus(page, 'gate', 'waiting');
            const stored = await waitForStatus(keyed.url, executionId, ['running'], 10_000, AUTH);

            expect(lastAction).toContain(`cancel by ${KEY_NAME}: wrong release`);
            expect(refused).toContain('INVALID_STATE');
            expect(refused).toContain('cancelled');
            expect(stored.status).toBe('running');
            expect(c.problems.filter((p) => !HTTP_409.test(p))).toEqual([]);
            expect(c.problems.filter((p) => HTTP_409.test(p))).toHaveLength(1);
            expect(c.foreign()).toEqual([]);
          },
          () => keyed.logs(),
        ),
      TEST_TIMEOUT_MS,
    );

    it(
      'shows a validation error on the graph: the cycle along its path, the unknown dependency as its own node',
      () =>
        withConsolePage(
          browser,
          keyed.url,
          'validation',
          async (c) => {
            const { page } = c;
            await signedIn(c, '/graphs');
            const definition = {
              name: 'broken',
              nodes: [
                { id: 'a', type: 'DELAY', dependsOn: ['c'], config: { ms: 0 } },
                { id: 'b', type: 'DELAY', dependsOn: ['a'], config: { ms: 0 } },
                { id: 'c', type: 'DELAY', dependsOn: ['b'], config: { ms: 0 } },
                { id: 'd', type: 'DELAY', dependsOn: ['ghost'], config: { ms: 0 } },
              ],
            };
            await page.getByTestId('graph-definition').fill(JSON.stringify(definition, null, 2));
            await page.getByTestId('validate').click();
            await page.getByTestId('problems').waitFor();
            await page.locator('[data-testid="dag-canvas"][data-painted="true"]').waitFor();
            const problems = await page
              .locator('[data-testid="problems"] li')
              .evaluateAll((items) => items.map((li) => li.getAttribute('data-problem')));
            const marked = await page
              .locator('[role="option"].problem')
              .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-testid')));
            const ghost = await page.getByTestId('node-ghost').innerText();
            await c.screenshot('validation-error');

            expect(problems.sort()).toEqual(['CYCLE', 'UNKNOWN_DEPENDENCY']);
            expect(marked.sort()).toEqual(['node-a', 'node-b', 'node-c', 'node-d', 'node-ghost']);
            expect(ghost).toContain('unknown dependency');
            // NOTE: the 400 of the validation is logged by chromium: the one error expected.
            expect(c.problems).toHaveLength(1);
            expect(c.problems[0]).toMatch(/status of 400\b/);
            expect(c.foreign()).toEqual([]);
          },
          () => keyed.logs(),
        ),
      TEST_TIMEOUT_MS,
    );
  });

  describe('without API keys (the loopback default)', () => {
    it(
      'opens without a key; lists executions filtered by graph and status, a page at a time; deep links load',
      () =>
        withConsolePage(
          browser,
          keyless.url,
          'keyless',
          async (c) => {
            const { page } = c;
            const graph = await request(`${keyless.url}/graphs`, {
              body: {
                name: 'console-many',
                nodes: [{ id: 'only', type: 'DELAY', config: { ms: 0 } }],
              },
            });
            const ids: string[] = [];
            for (let i = 0; i < 21; i++) {
              const started = await request(`${keyless.url}/graphs/${graph.body.id}/executions`, {
                body: {},
              });
              ids.push(started.body.id);
            }
            for (const id of ids) await waitForStatus(keyless.url, id, ['completed']);
            await page.goto(`${keyless.url}/console/executions`);
            await page.getByTestId('filter-graph').selectOption(graph.body.id);
            await page.getByTestId('filter-status-completed').check();
            await page.getByTestId('execution-list').waitFor();
            await page.locator('tbody tr').first().waitFor();
            const firstPage = await page.locator('tbody tr').count();
            const filtered = new URL(page.url()).searchParams;
            await page.getByTestId('next-page').click();
            await page.waitForFunction(
              () => (globalThis as any).document.querySelectorAll('tbody tr').length === 1,
            );
            await page.goto(`${keyless.url}/console/executions/${ids[0]}`);
            await waitForText(page, 'execution-status', 'completed');
            await waitForText(page, 'node-count-completed', '1');
            const signOut = await page.getByTestId('sign-out').count();

            expect(firstPage).toBe(20);
            expect(filtered.get('graphId')).toBe(graph.body.id);
            expect(filtered.get('status')).toBe('completed');
            expect(signOut).toBe(0);
            expect(c.problems).toEqual([]);
            expect(c.foreign()).toEqual([]);
          },
          () => keyless.logs(),
        ),
      TEST_TIMEOUT_MS,
    );
  });
});
