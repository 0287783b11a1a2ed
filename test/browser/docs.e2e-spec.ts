/**
 * The server's one web page, Swagger UI at /docs, in a real browser (Debian's chromium driven by
 * playwright-core; `bash scripts/chromium.sh` installs it) against the real server process: the
 * page must render under the server's Content-Security-Policy (helmet) with no console error, no
 * page error and no CSP violation, list every operation of /docs-json, and its "Try it out" must
 * reach the API, through the Authorize dialog when API keys are configured.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, Locator, Page } from 'playwright-core';
import {
  TrellisServer,
  databaseName,
  databaseUri,
  dropDatabase,
  request,
  startServer,
  until,
} from '../fixtures/trellis-server';
import { explainFailure, launchChromium, watchPageProblems } from './chromium.fixture';

/**
 * Resolves to the server's loopback address, yet for the browser an origin like any remote host
 * over plain http: not potentially trustworthy, so a CSP `upgrade-insecure-requests` would send
 * its script requests to https (a blank page), which loopback itself never shows.
 */
const HOST_NAME = 'trellis-docs.test';
/** Maps HOST_NAME to loopback in chromium's resolver. */
const HOST_RESOLVER_RULES = `--host-resolver-rules=MAP ${HOST_NAME} 127.0.0.1`;
/** Chromium's console error for a COOP header on an untrustworthy (plain http) origin. */
const COOP_IGNORED = /^console error: The Cross-Origin-Opener-Policy header has been ignored\b/;
const KEY = 'browser-docs-key-0123456789';
const GRAPH = {
  name: 'browser-docs-graph',
  nodes: [{ id: 'wait', type: 'DELAY', config: { ms: 0 } }],
};
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
/** Per action and wait; below the tests' own timeout so a failure names what it waited for. */
const STEP_TIMEOUT_MS = 10_000;
const TEST_TIMEOUT_MS = 30_000;

const keyedUri = databaseUri(databaseName('docs_keyed'));
const keylessUri = databaseUri(databaseName('docs_keyless'));

/** An open /docs page and everything wrong it reported so far. */
interface DocsPage {
  page: Page;
  /** Console errors, uncaught page errors and CSP violations, in order. */
  problems: string[];
  /** The Content-Security-Policy header the page was served with. */
  csp: string | undefined;
}

/** The operation block of `method path`, e.g. `GET /health`. */
function operation(page: Page, method: string, path: string): Locator {
  return page.locator(`.opblock.opblock-${method.toLowerCase()}`).filter({
    has: page.locator(`.opblock-summary-path[data-path="${path}"]`),
  });
}

/** An OpenAPI document, as far as the page's checks read it. */
interface OpenApiDocument {
  paths: Record<string, Record<string, { tags?: string[] }>>;
}

/** The operations of an OpenAPI document as Swagger UI titles them, e.g. `POST /graphs`. */
function documentedOperations(document: OpenApiDocument): string[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((key) => HTTP_METHODS.includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

/** The tags of an OpenAPI document's operations in order of first use (Swagger UI's sections). */
function documentedTags(document: OpenApiDocument): string[] {
  const tags = Object.values(document.paths).flatMap((item) =>
    Object.entries(item)
      .filter(([key]) => HTTP_METHODS.includes(key))
      .flatMap(([, operation]) => operation.tags ?? []),
  );
  return [...new Set(tags)];
}

/**
 * Expands an operation, presses "Try it out", sets the query parameters of `query` (an empty
 * string clears the example Swagger UI prefills), presses "Execute"; resolves with the request's
 * URL and the response's HTTP status as the browser saw them.
 */
async function tryItOut(
  page: Page,
  method: string,
  path: string,
  query: Record<string, string> = {},
): Promise<{ url: URL; status: number }> {
  const block = operation(page, method, path);
  await block.locator('.opblock-summary-control').click();
  await block.getByRole('button', { name: 'Try it out' }).click();
  for (const [name, value] of Object.entries(query)) {
    await block.locator(`tr[data-param-name="${name}"][data-param-in="query"] input`).fill(value);
  }
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === method && new URL(r.url()).pathname === path,
    ),
    block.getByRole('button', { name: 'Execute' }).click(),
  ]);
  return { url: new URL(response.url()), status: response.status() };
}

/** The status and body text of the server response Swagger UI rendered under an operation. */
async function renderedResponse(
  page: Page,
  method: string,
  path: string,
): Promise<{ status: string; body: string; curl: string }> {
  const block = operation(page, method, path);
  const live = block.locator('.live-responses-table .response');
  await live.locator('.response-col_status').waitFor();
  const body = live.locator('.response-col_description .highlight-code');
  await body.waitFor();
  return {
    status: (await live.locator('.response-col_status').innerText()).trim(),
    body: await body.innerText(),
    curl: await block.locator('.curl-command').innerText(),
  };
}

describe('Swagger UI at /docs in a browser', () => {
  let browser: Browser;
  let keyed: TrellisServer;
  let keyless: TrellisServer;
  let operations: string[];
  let tags: string[];

  beforeAll(async () => {
    [browser, keyed, keyless] = await Promise.all([
      launchChromium([HOST_RESOLVER_RULES]),
      startServer({ MONGODB_URI: keyedUri, TRELLIS_API_KEYS: KEY }),
      startServer({ MONGODB_URI: keylessUri }),
    ]);
    const created = await request(`${keyed.url}/graphs`, {
      body: GRAPH,
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(created.status).toBe(201);
    const document = await request(`${keyed.url}/docs-json`);
    expect(document.status).toBe(200);
    operations = documentedOperations(document.body);
    tags = documentedTags(document.body);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([browser?.close(), keyed?.stop(), keyless?.stop()]);
    await Promise.all([dropDatabase(keyedUri), dropDatabase(keylessUri)]);
  }, 30_000);

  /**
   * Opens `${origin}/docs` (the server's own URL unless given) in a fresh browser context, waits
   * until Swagger UI rendered the operations and runs `check`; on failure saves a screenshot to the
   * temp dir and adds the page's problems and the server's last log lines to the error.
   */
  async function withDocs(
    server: TrellisServer,
    name: string,
    check: (docs: DocsPage) => Promise<void>,
    origin = server.url,
  ): Promise<void> {
    const context = await browser.newContext();
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const problems = await watchPageProblems(page);
    try {
      const response = await page.goto(`${origin}/docs`);
      expect(response?.status()).toBe(200);
      await page.locator('.swagger-ui .information-container .title').waitFor();
      await page.locator('.swagger-ui .opblock').first().waitFor();
      await check({ page, problems, csp: response?.headers()['content-security-policy'] });
    } catch (error) {
      const screenshot = join(tmpdir(), `trellis-docs-${name}-${Date.now()}.png`);
      await page.screenshot({ path: screenshot, fullPage: true }).catch(() => undefined);
      explainFailure(error, {
        screenshot,
        problems,
        serverLog: `server (exit code ${server.process.exitCode})`,
        logs: server.logs(),
      });
      throw error;
    } finally {
      await context.close();
    }
  }

  describe('with an API key', () => {
    it(
      'renders every tag and operation under the CSP, with no console error or CSP violation',
      () =>
        withDocs(keyed, 'render', async ({ page, problems, csp }) => {
          const title = await page.locator('.information-container .title').innerText();
          const sections = await page.locator('.opblock-tag-section .opblock-tag').allInnerTexts();
          const shown = await page
            .locator('.opblock-summary')
            .evaluateAll((summaries) =>
              summaries.map(
                (summary: any) =>
                  `${summary.querySelector('.opblock-summary-method').textContent} ` +
                  summary.querySelector('.opblock-summary-path').getAttribute('data-path'),
              ),
            );

          expect(csp).toContain("script-src 'self'");
          expect(title).toContain('Trellis');
          expect(tags).toEqual(['graphs', 'executions', 'operations']);
          expect(sections.map((section) => section.trim())).toEqual(tags);
          expect(shown).toEqual(
            expect.arrayContaining(['POST /graphs', 'GET /executions/{id}/events', 'GET /health']),
          );
          expect([...shown].sort()).toEqual([...operations].sort());
          expect(await page.locator('.swagger-ui .btn.authorize').isVisible()).toBe(true);
          expect(problems).toEqual([]);
        }),
      TEST_TIMEOUT_MS,
    );

    it(
      'GET /health: Try it out, Execute renders 200 with "status": "ok" (no key needed)',
      () =>
        withDocs(keyed, 'health', async ({ page, problems }) => {
          const sent = await tryItOut(page, 'GET', '/health');
          const rendered = await renderedResponse(page, 'GET', '/health');

          expect(sent.url.href).toBe(`${keyed.url}/health`);
          expect(sent.status).toBe(200);
          expect(rendered.status).toBe('200');
          expect(rendered.body).toContain('"status": "ok"');
          expect(problems).toEqual([]);
        }),
      TEST_TIMEOUT_MS,
    );

    it(
      'renders and answers Try it out when reached over plain http by a non-loopback name',
      () => {
        const byName = new URL(keyed.url);
        byName.hostname = HOST_NAME;
        const origin = byName.origin;
        return withDocs(
          keyed,
          'by-name',
          async ({ page, problems, csp }) => {
            const sent = await tryItOut(page, 'GET', '/health');
            const rendered = await renderedResponse(page, 'GET', '/health');

            expect(csp).not.toContain('upgrade-insecure-requests');
            expect(new URL(page.url()).origin).toBe(origin);
            expect(sent.url.href).toBe(`${origin}/health`);
            expect(sent.status).toBe(200);
            expect(rendered.body).toContain('"status": "ok"');
            // NOTE: helmet's Cross-Origin-Opener-Policy has no effect over plain http to a
            // non-loopback host and chromium says so as a console error; the page is unaffected.
            expect(problems.filter((problem) => !COOP_IGNORED.test(problem))).toEqual([]);
          },
          origin,
        );
      },
      TEST_TIMEOUT_MS,
    );

    it(
      'GET /graphs without authorizing renders 401 UNAUTHORIZED',
      () =>
        withDocs(keyed, 'graphs-401', async ({ page, problems }) => {
          const sent = await tryItOut(page, 'GET', '/graphs', { cursor: '' });
          const rendered = await renderedResponse(page, 'GET', '/graphs');

          expect(sent.url.origin).toBe(keyed.url);
          expect(sent.status).toBe(401);
          expect(rendered.status).toBe('401');
          expect(rendered.body).toContain('"code": "UNAUTHORIZED"');
          expect(rendered.curl).not.toMatch(/authorization/i);
          // NOTE: chromium logs every 4xx fetch as a console error: that one is expected.
          expect(problems).toHaveLength(1);
          expect(problems[0]).toMatch(/^console error: .*status of 401\b/);
          expect(problems[0]).toContain(`(${sent.url.href})`);
        }),
      TEST_TIMEOUT_MS,
    );

    it(
      'Authorize with the bearer key, then GET /graphs renders 200 with the stored graph',
      () =>
        withDocs(keyed, 'graphs-authorized', async ({ page, problems }) => {
          await page.locator('.swagger-ui .btn.authorize').first().click();
          const dialog = page.locator('.dialog-ux .modal-ux');
          await dialog.locator('#auth-bearer-value').fill(KEY);
          await dialog.getByRole('button', { name: 'Apply credentials' }).click();
          await dialog.getByRole('button', { name: 'Remove authorization' }).waitFor();
          await dialog.getByRole('button', { name: 'Close' }).click();
          await dialog.waitFor({ state: 'detached' });

          // NOTE: Swagger UI prefills the cursor example, which would page past the stored graph.
          const sent = await tryItOut(page, 'GET', '/graphs', { cursor: '' });
          const rendered = await renderedResponse(page, 'GET', '/graphs');

          expect(sent.url.origin).toBe(keyed.url);
          expect(sent.status).toBe(200);
          expect(rendered.status).toBe('200');
          expect(rendered.body).toContain(`"name": "${GRAPH.name}"`);
          expect(rendered.curl).toContain(`Authorization: Bearer ${KEY}`);
          expect(problems).toEqual([]);
        }),
      TEST_TIMEOUT_MS,
    );

    it(
      'the checks see a CSP violation (an inline script, which script-src forbids)',
      () =>
        withDocs(keyed, 'csp-probe', async ({ page, problems }) => {
          await page.evaluate(`
            const script = document.createElement('script');
            script.textContent = 'window.__trellisInlineRan = true';
            document.head.appendChild(script);
          `);
          await until(
            async () => (problems.some((p) => p.startsWith('CSP violation')) ? true : undefined),
            'the securitypolicyviolation event',
            STEP_TIMEOUT_MS,
          );

          expect(await page.evaluate('window.__trellisInlineRan === true')).toBe(false);
          expect(problems).toEqual(
            expect.arrayContaining([
              expect.stringMatching(/^CSP violation: script-src(-elem)? blocked inline/),
              expect.stringMatching(/^console error: .*Content Security Policy/),
            ]),
          );
        }),
      TEST_TIMEOUT_MS,
    );
  });

  describe('without API keys (the loopback default)', () => {
    it(
      'renders with no console error or CSP violation; GET /graphs answers 200 without authorizing',
      () =>
        withDocs(keyless, 'keyless', async ({ page, problems }) => {
          const description = await page.locator('.information-container .description').innerText();
          const sent = await tryItOut(page, 'GET', '/graphs', { cursor: '' });
          const rendered = await renderedResponse(page, 'GET', '/graphs');

          expect(description).toContain('runs without API keys');
          expect(sent.url.origin).toBe(keyless.url);
          expect(sent.status).toBe(200);
          expect(rendered.status).toBe('200');
          expect(rendered.body).toContain('"items": []');
          expect(problems).toEqual([]);
        }),
      TEST_TIMEOUT_MS,
    );
  });
});
