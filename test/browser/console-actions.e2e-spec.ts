/**
 * The console's remaining operator paths in chromium against the real server on the suite's
 * FerretDB: a definition uploaded as a file, validated and saved; a failed node marked succeeded
 * with an output (its dependents then run and the execution completes); a failed node skipped
 * (shown by word and glyph, not colour alone); and the node list worked by keyboard only, every
 * stop on the way showing a focus ring. No console error, no CSP violation, no other origin.
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
import {
  callGraph,
  ConsolePage,
  STEP_TIMEOUT_MS,
  waitForText,
  withConsolePage,
} from './console.fixture';

const SECRET = 'console-actions-secret-0123456789';
const KEY_NAME = 'console-actions-ops';
const AUTH = { authorization: `Bearer ${SECRET}` };
const TEST_TIMEOUT_MS = 60_000;
/** More than the console has stops before its node list; a bound, so a missing list fails. */
const MAX_TABS = 60;

const uri = databaseUri(databaseName('console_actions'));

/** What a focused element draws to show it has focus (outline or box-shadow). */
interface FocusStyle {
  element: string;
  outline: string;
  boxShadow: string;
}

/** The focused element, described, with its focus drawing; null when focus is on the body. */
function focusedStyle(page: Page): Promise<FocusStyle | null> {
  return page.evaluate(() => {
    const doc = (globalThis as any).document;
    const el = doc.activeElement;
    if (!el || el === doc.body) return null;
    const style = (globalThis as any).getComputedStyle(el);
    const label = el.getAttribute('data-testid') ?? el.getAttribute('role') ?? el.textContent;
    return {
      element: `${el.tagName.toLowerCase()} ${String(label ?? '')
        .trim()
        .slice(0, 40)}`,
      outline:
        style.outlineStyle === 'none' || parseFloat(style.outlineWidth) === 0
          ? 'none'
          : `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`,
      boxShadow: style.boxShadow,
    };
  });
}

describe('the console: upload, node actions and keyboard', () => {
  let browser: Browser;
  let server: TrellisServer;
  let service: Server;
  let serviceUrl: string;

  beforeAll(async () => {
    service = createServer((_req, res) => {
      res.statusCode = 503;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ healthy: false }));
    });
    await new Promise<void>((done) => service.listen(0, '127.0.0.1', done));
    serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/down`;
    [browser, server] = await Promise.all([
      launchChromium(),
      startServer({ MONGODB_URI: uri, TRELLIS_API_KEYS: `${KEY_NAME}:${SECRET}` }),
    ]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([browser?.close(), server?.stop()]);
    await new Promise((done) => service?.close(done));
    await dropDatabase(uri);
  }, 30_000);

  async function signedIn({ page }: ConsolePage, path: string): Promise<void> {
    await page.goto(`${server.url}/console${path}`);
    await page.getByTestId('api-key').fill(SECRET);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('api-key').waitFor({ state: 'detached' });
  }

  /** Starts the failing graph and waits until it has failed at `call`. */
  async function failedExecution(): Promise<string> {
    const graph = await request(`${server.url}/graphs`, {
      body: callGraph('console-actions-failing', serviceUrl),
      headers: AUTH,
    });
    expect(graph.status).toBe(201);
    const started = await request(`${server.url}/graphs/${graph.body.id}/executions`, {
      body: {},
      headers: AUTH,
    });
    expect(started.status).toBe(201);
    await waitForStatus(server.url, started.body.id, ['failed'], STEP_TIMEOUT_MS, AUTH);
    return started.body.id as string;
  }

  function nodeStatus(page: Page, nodeId: string, status: string): Promise<unknown> {
    return page.waitForSelector(`[data-testid="node-${nodeId}"][data-status="${status}"]`);
  }

  function run(name: string, check: (c: ConsolePage) => Promise<void>): Promise<void> {
    return withConsolePage(browser, server.url, name, check, () => server.logs());
  }

  it(
    'uploads a definition file, validates it and saves it as a graph',
    () =>
      run('upload', async (c) => {
        const { page } = c;
        const definition = {
          name: 'uploaded-release',
          nodes: [
            { id: 'build', type: 'DELAY', config: { ms: 0 } },
            { id: 'test', type: 'DELAY', dependsOn: ['build'], config: { ms: 0 } },
            { id: 'ship', type: 'DELAY', dependsOn: ['build', 'test'], config: { ms: 0 } },
          ],
        };
        const text = JSON.stringify(definition, null, 2);
        await signedIn(c, '/graphs');
        await page.getByTestId('graph-file').setInputFiles({
          name: 'release.json',
          mimeType: 'application/json',
          buffer: Buffer.from(text),
        });
        await page.waitForFunction(
          (expected) =>
            (globalThis as any).document.querySelector('[data-testid="graph-definition"]')
              ?.value === expected,
          text,
        );
        await page.locator('[data-testid="dag-canvas"][data-painted="true"]').waitFor();
        const drawn = await page.locator('[role="option"]').count();
        await page.getByTestId('validate').click();
        await waitForText(page, 'validation-result', '✓ Valid: 3 nodes, 3 edges.');
        await page.getByTestId('save-graph').click();
        await waitForText(page, 'graph-name', 'uploaded-release');
        const graphId = new URL(page.url()).pathname.split('/').pop()!;
        const stored = await request(`${server.url}/graphs/${graphId}`, { headers: AUTH });

        expect(drawn).toBe(3);
        expect(stored.status).toBe(200);
        expect(stored.body.definition).toMatchObject(definition);
        expect(c.problems).toEqual([]);
        expect(c.foreign()).toEqual([]);
      }),
    TEST_TIMEOUT_MS,
  );

  it(
    'marks a failed node succeeded with an output: its dependents run, the execution completes, the panel shows the output',
    () =>
      run('complete-node', async (c) => {
        const { page } = c;
        const executionId = await failedExecution();
        await signedIn(c, `/executions/${executionId}`);
        await nodeStatus(page, 'call', 'failed');
        await nodeStatus(page, 'publish', 'skipped');
        await page.getByTestId('node-call').click();
        await page.getByTestId('complete-output').fill('{ "result": 42, "source": "operator" }');
        await page.getByTestId('action-reason').fill('checked by hand');
        await page.getByTestId('action-complete-node').click();
        await waitForText(page, 'execution-status', 'completed');
        await nodeStatus(page, 'report', 'completed');
        await nodeStatus(page, 'publish', 'completed');
        await waitForText(page, 'node-count-completed', '4');
        await waitForText(page, 'node-status', '✓ completed');
        const output = page.locator('[data-testid="node-panel"] pre[aria-label="output"]');
        await output.filter({ hasText: '"result": 42' }).waitFor();
        const shown = JSON.parse(await output.innerText());
        await page.getByTestId('node-history').filter({ hasText: 'checked by hand' }).waitFor();
        const historyRow = await page
          .getByTestId('node-history')
          .locator('tr', { hasText: 'checked by hand' })
          .innerText();
        const node = await request(`${server.url}/executions/${executionId}/nodes/call`, {
          headers: AUTH,
        });
        const execution = await request(`${server.url}/executions/${executionId}`, {
          headers: AUTH,
        });

        expect(shown).toEqual({ result: 42, source: 'operator' });
        expect(historyRow).toContain('failed → completed');
        expect(historyRow).toContain(KEY_NAME);
        expect(node.body.status).toBe('completed');
        expect(node.body.output).toEqual({ result: 42, source: 'operator' });
        expect(node.body.lastAction).toMatchObject({ by: KEY_NAME, reason: 'checked by hand' });
        expect(execution.body.status).toBe('completed');
        expect(
          Object.fromEntries(
            execution.body.nodes.map((n: { nodeId: string; status: string }) => [
              n.nodeId,
              n.status,
            ]),
          ),
        ).toEqual({
          prepare: 'completed',
          call: 'completed',
          report: 'completed',
          publish: 'completed',
        });
        expect(c.problems).toEqual([]);
        expect(c.foreign()).toEqual([]);
      }),
    TEST_TIMEOUT_MS,
  );

  it(
    'skips a failed node: shown as skipped by word and glyph in the list, the panel and the counts; the execution ends completed',
    () =>
      run('skip-node', async (c) => {
        const { page } = c;
        const executionId = await failedExecution();
        await signedIn(c, `/executions/${executionId}`);
        await nodeStatus(page, 'call', 'failed');
        await page.getByTestId('node-call').click();
        await page.getByTestId('action-reason').fill('not needed for this release');
        await page.getByTestId('action-skip-node').click();
        await waitForText(page, 'execution-status', 'completed');
        await nodeStatus(page, 'call', 'skipped');
        await waitForText(page, 'node-status', '↷ skipped');
        const row = page.getByTestId('node-call');
        const rowText = await row.innerText();
        const glyph = await row.locator('.glyph').innerText();
        const glyphHidden = await row.locator('.glyph').getAttribute('aria-hidden');
        const badge = await page.getByTestId('node-status').innerText();
        const skippedCount = await page.getByTestId('node-count-skipped').innerText();
        const failedCount = await page.getByTestId('node-count-failed').innerText();
        const node = await request(`${server.url}/executions/${executionId}/nodes/call`, {
          headers: AUTH,
        });
        const execution = await waitForStatus(
          server.url,
          executionId,
          ['completed'],
          STEP_TIMEOUT_MS,
          AUTH,
        );

        // The word is in the row's text (what a screen reader reads), the glyph beside it.
        expect(rowText).toMatch(/\bskipped\b/);
        expect(glyph).toBe('↷');
        expect(glyphHidden).toBe('true');
        expect(badge).toContain('skipped');
        expect(badge).toContain('↷');
        // report and publish were skipped when call failed: a skipped call keeps them so.
        expect(skippedCount).toBe('3');
        expect(failedCount).toBe('0');
        expect(node.body.status).toBe('skipped');
        expect(node.body.lastAction).toMatchObject({
          by: KEY_NAME,
          reason: 'not needed for this release',
        });
        expect(execution.status).toBe('completed');
        expect(c.problems).toEqual([]);
        expect(c.foreign()).toEqual([]);
      }),
    TEST_TIMEOUT_MS,
  );

  it(
    'reaches the node list by Tab, moves with the arrow keys and opens a node with Enter; every stop shows a focus ring',
    () =>
      run('keyboard', async (c) => {
        const { page } = c;
        const executionId = await failedExecution();
        await signedIn(c, `/executions/${executionId}`);
        await nodeStatus(page, 'publish', 'skipped');
        await page.locator('[data-testid="dag-canvas"][data-painted="true"]').waitFor();
        // NOTE: from the top of a freshly loaded page, as a keyboard user arrives (the key is kept).
        await page.reload();
        await nodeStatus(page, 'publish', 'skipped');
        await page.locator('[data-testid="dag-canvas"][data-painted="true"]').waitFor();
        const stops: FocusStyle[] = [];
        for (let i = 0; i < MAX_TABS; i++) {
          await page.keyboard.press('Tab');
          const focused = await focusedStyle(page);
          if (focused) stops.push(focused);
          if (focused?.element.startsWith('div listbox')) break;
        }
        const listbox = stops.at(-1);
        await page.keyboard.press('Home');
        await page.keyboard.press('ArrowDown');
        await page.keyboard.press('ArrowDown');
        const active = await page.evaluate(() => {
          const doc = (globalThis as any).document;
          const id = doc.activeElement.getAttribute('aria-activedescendant');
          const option = doc.getElementById(id);
          const style = (globalThis as any).getComputedStyle(option);
          return {
            node: option.getAttribute('data-testid'),
            outline: `${style.outlineStyle} ${style.outlineWidth}`,
          };
        });
        await page.keyboard.press('Enter');
        await page.getByTestId('node-panel').waitFor();
        const title = await page.locator('#node-panel-title').innerText();
        const opened = new URL(page.url()).searchParams.get('node');

        expect(stops[0].element).toBe('a Skip to content');
        expect(listbox?.element).toMatch(/^div listbox/);
        expect(stops.filter((s) => s.outline === 'none' && s.boxShadow === 'none')).toEqual([]);
        // The list is in definition order: prepare, call, report, publish.
        expect(active.node).toBe('node-report');
        expect(active.outline).not.toMatch(/^none|\b0px$/);
        expect(opened).toBe('report');
        expect(title).toBe('Node report');
        expect(c.problems).toEqual([]);
        expect(c.foreign()).toEqual([]);
      }),
    TEST_TIMEOUT_MS,
  );
});
