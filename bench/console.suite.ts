/**
 * `BENCH_SUITES=console npm run bench`: the web console in Debian's chromium (playwright-core)
 * against the built server (embedded store). For a 2,000-node, ~6,000-edge graph with wide
 * levels: layout time and first paint of its page, frame times while panning and zooming, and
 * while its execution streams transitions; for a 10,000-node graph: layout, first paint and the
 * longest task (the tab never freezes). Frame times are requestAnimationFrame deltas.
 */
import { existsSync } from 'node:fs';
import { Browser, Page } from 'playwright-core';
import { CHROMIUM, launchChromium } from '../scripts/chromium.launcher';
import { BenchFailure, benchLog } from './bench.log';
import type { TargetCheck } from './target.check';
import { BIG_LEVELS, HUGE_LEVELS, wideGraph } from './console.graphs';
import { percentile } from './percentiles';
import { ensureServerBuild } from './server.build';
import { startTrellisServer, TrellisServerProcess } from './trellis-server.process';

const VIEWPORT = { width: 1440, height: 1000 };

/** Frame-time figures (ms between animation frames). */
export interface FrameFigures {
  frames: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** One graph page: from navigation to the graph drawn. */
export interface GraphPageFigures {
  nodes: number;
  edges: number;
  /** Layout request to answer (web worker), as the page measured it. */
  layoutMs: number;
  /** Navigation start to the first paint of the drawn graph. */
  firstPaintMs: number;
  /** The longest main-thread task from navigation to 2 s after the paint. */
  longestTaskMs: number;
  panZoom: FrameFigures;
}

/** What the console suite measured. */
export interface ConsoleBenchResult {
  big: GraphPageFigures;
  streaming: FrameFigures & { transitions: number; transitionsPerSecond: number; seconds: number };
  huge: GraphPageFigures;
  build: string;
}

/** Records animation-frame deltas for `ms` while `drive` runs. */
async function frames(page: Page, ms: number, drive: () => Promise<void>): Promise<FrameFigures> {
  const recording = page.evaluate((duration: number) => {
    const raf = (globalThis as any).requestAnimationFrame as (step: (now: number) => void) => void;
    return new Promise<number[]>((resolve) => {
      const deltas: number[] = [];
      let last = performance.now();
      const end = last + duration;
      const step = (now: number) => {
        deltas.push(now - last);
        last = now;
        if (now < end) raf(step);
        else resolve(deltas);
      };
      raf(step);
    });
  }, ms);
  await drive();
  const deltas = (await recording).sort((a, b) => a - b);
  return {
    frames: deltas.length,
    p50Ms: percentile(deltas, 50),
    p95Ms: percentile(deltas, 95),
    maxMs: deltas.at(-1) ?? Number.NaN,
  };
}

/** Drags and wheels over the canvas for about `ms`. */
async function panAndZoom(page: Page, ms: number): Promise<void> {
  const box = (await page.getByTestId('dag-canvas').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const end = Date.now() + ms;
  for (let i = 0; Date.now() < end; i++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + 120 * Math.sin(i), cy + 80 * Math.cos(i), { steps: 8 });
    await page.mouse.up();
    await page.mouse.wheel(0, i % 2 ? 240 : -240);
  }
}

/** Opens a graph's page and measures it. */
async function graphPage(
  browser: Browser,
  url: string,
  graphId: string,
  size: { nodes: number; edges: number },
): Promise<GraphPageFigures> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.addInitScript(() => {
    const tasks: number[] = [];
    (globalThis as any).__benchLongTasks = tasks;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) tasks.push(entry.duration);
    }).observe({ type: 'longtask' as any, buffered: true });
  });
  await page.goto(`${url}/console/graphs/${graphId}`);
  await page
    .locator('[data-testid="dag-canvas"][data-painted="true"]')
    .waitFor({ timeout: 120_000 });
  const timing = await page.evaluate(() => ({
    layout: performance.getEntriesByName('trellis:layout').at(-1)?.duration ?? NaN,
    paint: performance.getEntriesByName('trellis:dag-painted')[0]?.startTime ?? NaN,
  }));
  await page.waitForTimeout(2000);
  const longest = await page.evaluate(() =>
    Math.max(0, ...((globalThis as any).__benchLongTasks as number[])),
  );
  const panZoom = await frames(page, 4000, () => panAndZoom(page, 3800));
  await page.close();
  return {
    ...size,
    layoutMs: timing.layout,
    firstPaintMs: timing.paint,
    longestTaskMs: longest,
    panZoom,
  };
}

async function createGraph(url: string, definition: object): Promise<string> {
  const response = await fetch(`${url}/graphs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(definition),
  });
  if (response.status !== 201)
    throw new Error(`POST /graphs: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { id: string }).id;
}

/** Follows an execution of the big graph live, panning meanwhile. */
async function streaming(browser: Browser, url: string, graphId: string) {
  const page = await browser.newPage({ viewport: VIEWPORT });
  const started = await fetch(`${url}/graphs/${graphId}/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  const { id } = (await started.json()) as { id: string };
  await page.goto(`${url}/console/executions/${id}`);
  await page
    .locator('[data-testid="dag-canvas"][data-painted="true"]')
    .waitFor({ timeout: 60_000 });
  const count = () =>
    page.evaluate(() =>
      Number(
        (globalThis as any).document
          .querySelector('[data-testid="execution-view"]')
          ?.getAttribute('data-transitions'),
      ),
    );
  const t0 = performance.now();
  const before = await count();
  // NOTE: 3 s: the execution (about 5,200 transitions) must still run when the window ends, or
  // the rate would count the time after its end.
  const figures = await frames(page, 3000, () => panAndZoom(page, 2800));
  const seconds = (performance.now() - t0) / 1000;
  const transitions = (await count()) - before;
  await page.close();
  return { ...figures, transitions, seconds, transitionsPerSecond: transitions / seconds };
}

/** Runs the console suite; a failure is recorded and null returned. */
export async function runConsoleSuite(
  failures: BenchFailure[],
): Promise<ConsoleBenchResult | null> {
  if (!existsSync(CHROMIUM)) {
    failures.push({ scenario: 'console', error: `${CHROMIUM} missing: bash scripts/chromium.sh` });
    return null;
  }
  let server: TrellisServerProcess | undefined;
  let browser: Browser | undefined;
  try {
    const build = ensureServerBuild('auto');
    benchLog(`console: ${build}`);
    server = await startTrellisServer({ TRELLIS_RATE_LIMIT: '1000000', TRELLIS_MAX_WORKERS: '128' });
    browser = await launchChromium();
    const delayMs = Number(process.env.BENCH_CONSOLE_DELAY_MS ?? 150);
    const big = wideGraph('console-bench-2k', BIG_LEVELS, 3, delayMs);
    const huge = wideGraph('console-bench-10k', HUGE_LEVELS, 3, 0);
    const bigId = await createGraph(server.url, big.definition);
    const hugeId = await createGraph(server.url, huge.definition);
    benchLog(`console: 2,000-node graph (${big.edges} edges)`);
    const bigFigures = await graphPage(browser, server.url, bigId, {
      nodes: big.nodeCount,
      edges: big.edges,
    });
    benchLog(`console: its execution streamed live (DELAY ${delayMs} ms, 128 workers)`);
    const streamFigures = await streaming(browser, server.url, bigId);
    benchLog(`console: 10,000-node graph (${huge.edges} edges)`);
    const hugeFigures = await graphPage(browser, server.url, hugeId, {
      nodes: huge.nodeCount,
      edges: huge.edges,
    });
    return { big: bigFigures, streaming: streamFigures, huge: hugeFigures, build };
  } catch (error) {
    failures.push({ scenario: 'console', error: (error as Error).message });
    benchLog(`console: FAILED: ${(error as Error).message}`);
    return null;
  } finally {
    await browser?.close();
    await server?.stop();
  }
}

/** The suite's figures as printed lines. */
export function renderConsoleResult(result: ConsoleBenchResult): string {
  const f = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
  const frameLine = (label: string, x: FrameFigures) =>
    `  ${label}: frames p50 ${f(x.p50Ms)} ms, p95 ${f(x.p95Ms)} ms, max ${f(x.maxMs)} ms (${x.frames} frames)`;
  const pageLines = (label: string, g: GraphPageFigures) => [
    `${label} (${g.nodes} nodes, ${g.edges} edges): layout ${f(g.layoutMs)} ms, first paint ${f(g.firstPaintMs)} ms after navigation, longest task ${f(g.longestTaskMs)} ms`,
    frameLine('pan and zoom', g.panZoom),
  ];
  const s = result.streaming;
  return [
    'Console (chromium)',
    ...pageLines('2,000-node graph', result.big),
    `  its execution live: ${s.transitions} transitions in ${f(s.seconds)} s (${f(s.transitionsPerSecond)}/s) while panning`,
    frameLine('while streaming', s),
    ...pageLines('10,000-node graph', result.huge),
  ].join('\n');
}

/**
 * The browser targets: the 2,000-node graph laid out and painted within 2 s; pan and
 * zoom smooth (p95 frame within two 60 Hz frames) with and without its execution streaming
 * 1,000 transitions/s; the 10,000-node graph never freezing the tab (no main-thread task of 1 s).
 */
export function consoleTargets(result: ConsoleBenchResult): TargetCheck[] {
  const smooth = (scenario: string, p95Ms: number): TargetCheck => ({
    target: 'console pan and zoom smooth',
    scenario,
    value: p95Ms,
    unit: 'ms p95 frame',
    limit: '<= 33.4',
    pass: p95Ms <= 33.4,
  });
  return [
    {
      target: 'console 2,000-node graph: layout and first paint',
      scenario: `${result.big.nodes} nodes, ${result.big.edges} edges`,
      value: Math.round(result.big.firstPaintMs),
      unit: 'ms',
      limit: '<= 2000',
      pass: result.big.firstPaintMs <= 2000,
      note: `layout ${Math.round(result.big.layoutMs)} ms of it`,
    },
    smooth('2,000 nodes', result.big.panZoom.p95Ms),
    {
      ...smooth(
        `2,000 nodes, ${Math.round(result.streaming.transitionsPerSecond)} transitions/s`,
        result.streaming.p95Ms,
      ),
      pass: result.streaming.p95Ms <= 33.4 && result.streaming.transitionsPerSecond >= 1000,
    },
    {
      target: 'console 10,000-node graph never freezes the tab',
      scenario: `${result.huge.nodes} nodes, ${result.huge.edges} edges`,
      value: Math.round(result.huge.longestTaskMs),
      unit: 'ms longest task',
      limit: '< 1000',
      pass: result.huge.longestTaskMs < 1000,
    },
  ];
}
