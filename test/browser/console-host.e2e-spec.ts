/**
 * The console in a host monolith, as the library's users mount it: a Nest app of its own with
 * a global prefix (`app.setGlobalPrefix('api')`), the HTTP API and the console at
 * `admin/trellis`. Under the prefix the console must load, route its deep links, reach the API
 * under the prefix, and run an example, in a real browser, with no console error, no CSP
 * violation and no request to another origin. It also follows the viewer's habits there: the
 * system's theme, and times in the viewer's zone.
 */
import { INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { Browser, Request } from 'playwright-core';
import { OrchestrationModule } from '../../libs/orchestration/src';
import { OrchestrationConsoleModule } from '../../libs/orchestration/src/console';
import { OrchestrationHttpModule } from '../../libs/orchestration/src/http';
import { launchChromium, watchPageProblems } from './chromium.fixture';
import { STEP_TIMEOUT_MS, waitForText } from './console.fixture';

jest.setTimeout(60_000);

@Module({
  imports: [
    ScheduleModule.forRoot(),
    OrchestrationModule.forRoot({ isGlobal: true }),
    OrchestrationHttpModule.forRoot({}),
    OrchestrationConsoleModule.forRoot({ path: 'admin/trellis' }),
  ],
})
class HostModule {}

describe('the console in a host app with a global prefix', () => {
  let app: INestApplication;
  let browser: Browser;
  let url: string;

  beforeAll(async () => {
    app = await NestFactory.create(HostModule, { logger: ['error'] });
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('serves the console under the prefix; it calls the API there and runs an example', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const problems = await watchPageProblems(page);
    const requests: Request[] = [];
    page.on('request', (r) => requests.push(r));

    await page.goto(`${url}/api/admin/trellis/graphs`);
    await page.getByTestId('load-example').click();
    await page.getByTestId('validate').click();
    await waitForText(page, 'validation-result', '✓ Valid: 7 nodes, 8 edges.');
    await page.getByTestId('save-graph').click();
    await page.getByTestId('graph-name').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/api\/admin\/trellis\/graphs\/[0-9a-f]{24}$/);
    await page.getByTestId('start-execution').click();
    await waitForText(page, 'node-count-waiting', '1');
    const deepLink = page.url();
    expect(new URL(deepLink).pathname).toMatch(/^\/api\/admin\/trellis\/executions\/[0-9a-f]{24}$/);

    // A deep link loaded afresh finds its page and its live state.
    await page.goto(deepLink);
    await waitForText(page, 'node-count-waiting', '1');
    await waitForText(page, 'execution-status', 'running');

    const origin = new URL(url).origin;
    expect(requests.filter((r) => new URL(r.url()).origin !== origin).map((r) => r.url())).toEqual(
      [],
    );
    const paths = requests.map((r) => new URL(r.url()).pathname);
    expect(paths.filter((p) => !p.startsWith('/api/'))).toEqual([]);
    expect(paths).toContain('/api/graphs/validate');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("follows the viewer's habits: the system's dark or light theme, times in the viewer's zone with ISO on hover", async () => {
    const created = await fetch(`${url}/api/graphs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'habits',
        nodes: [{ id: 'a', type: 'DELAY', config: { ms: 0 } }],
      }),
    });
    expect(created.status).toBe(201);
    const { createdAt } = (await created.json()) as { createdAt: string };
    /** The page's background luminance (0 black .. 1 white) and the graph's listed time. */
    const look = async (colorScheme: 'dark' | 'light', timezoneId: string) => {
      const context = await browser.newContext({ colorScheme, timezoneId, locale: 'en-US' });
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      const problems = await watchPageProblems(page);
      await page.goto(`${url}/api/admin/trellis/graphs`);
      const time = page.locator(`time[datetime="${createdAt}"]`).first();
      await time.waitFor();
      // The first painted background from <body> up; the canvas is white when none is set.
      const background = await page.evaluate(() => {
        const doc = (globalThis as any).document;
        for (const element of [doc.body, doc.documentElement]) {
          const color: string = (globalThis as any).getComputedStyle(element).backgroundColor;
          if (!/^rgba\(.*,\s*0\)$/.test(color) && color !== 'transparent') return color;
        }
        return 'rgb(255, 255, 255)';
      });
      const [r, g, b] = (background.match(/\d+(\.\d+)?/g) ?? []).map(Number);
      const seen = {
        luminance: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255,
        text: await time.innerText(),
        title: await time.getAttribute('title'),
        problems,
      };
      await context.close();
      return seen;
    };
    const dark = await look('dark', 'Asia/Tokyo');
    const light = await look('light', 'America/New_York');
    expect(dark.luminance).toBeLessThan(0.3);
    expect(light.luminance).toBeGreaterThan(0.7);
    const local = (timeZone: string) =>
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      }).format(new Date(createdAt));
    expect(dark.text).toBe(local('Asia/Tokyo'));
    expect(light.text).toBe(local('America/New_York'));
    expect(dark.text).not.toBe(light.text);
    expect([dark.title, light.title]).toEqual([createdAt, createdAt]);
    expect([...dark.problems, ...light.problems]).toEqual([]);
  });

  it('answers only under its path: the same path without the prefix is not the console', async () => {
    const bare = await fetch(`${url}/admin/trellis/graphs`);
    expect(bare.status).toBe(404);
    const page = await fetch(`${url}/api/admin/trellis/graphs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('content="/api/admin/trellis"');
    expect(html).toContain('<meta name="trellis-api-base" content="/api"');
  });
});
