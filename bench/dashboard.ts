/**
 * Dashboard benchmark: the built single-page app as the local stack's API front serves it, and as
 * headless Chromium loads it.
 * - serving: sequential GETs with `accept-encoding: gzip` of index.html and of the largest asset
 *   (Monaco's TypeScript worker) through the front, next to the floor of a bare node:http server on
 *   loopback answering the same response (the same bytes and headers) from memory;
 * - browser, token preset, a fresh context (empty cache) each time: the actions list until its
 *   heading shows, and one action's editor until Monaco's TypeScript worker has checked the code;
 *   then the editor again warm (same context, reload). The floor is a fresh context loading a
 *   one-heading HTML page from the bare server.
 * Fixed iteration counts, loopback only.
 *
 *   npx tsx bench/dashboard.ts          (or `npm run bench -- dashboard`)
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { Agent, createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page, Request } from 'playwright-core';
import { DASHBOARD_DIST, ensureDashboardBuilt } from '../dashboard/build.ts';
import { startHookchain } from '../infra/local/hookchain.ts';
import { launchChromium } from '../test/support/browser.ts';
import { type RawReply, rawRequest } from '../test/support/raw-http.ts';
import { type Row, summarize } from './stats.ts';

export interface DashboardBenchOptions {
  indexRequests?: number;
  assetRequests?: number;
  pageLoads?: number;
}

const VIEWPORT = { width: 1280, height: 800 };
const FLOOR_PAGE = Buffer.from('<!doctype html><html lang="en"><title>Floor</title><h1>Floor</h1></html>\n');

// Typed through JSDoc as the dashboard's template is, with a misspelt api method: "1 error"
// appears only once the TypeScript worker has loaded the trigger's declarations and checked the
// code. Clean code reads "No problems" from the editor's first render, before the worker has even
// loaded, so it cannot mark the end.
const ACTION_CODE = `/**
 * @param {Event} event
 * @param {PostLoginAPI} api
 */
exports.onExecutePostLogin = async (event, api) => {
  api.idToken.setCustomClam('https://bench.test/plan', 'gold');
};
`;

/** GET as it comes off the wire (gzip stays gzip), read to the end, over a keep-alive agent. */
const get = (agent: Agent, url: string): Promise<RawReply> =>
  rawRequest(new URL(url).origin, new URL(url).pathname, { agent, headers: { 'accept-encoding': 'gzip' } });

// Per connection or per moment: the floor server sets its own.
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'date', 'transfer-encoding', 'content-length']);

/** The response as the floor server replays it: the front's headers and body, byte for byte. */
function replay({ headers, body }: RawReply): { headers: OutgoingHttpHeaders; body: Buffer } {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_HEADERS.has(name)));
  return { headers: { ...kept, 'content-length': body.length }, body };
}

async function startFloorServer(routes: Map<string, { headers: OutgoingHttpHeaders; body: Buffer }>) {
  const server = createServer((req, res) => {
    const route = routes.get(req.url ?? '');
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, route.headers).end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The largest file under dist/assets: Monaco's TypeScript worker. */
async function largestAsset(): Promise<{ name: string; size: number }> {
  const dir = join(DASHBOARD_DIST, 'assets');
  const files = await Promise.all(
    (await readdir(dir)).map(async (name) => ({ name, size: (await stat(join(dir, name))).size })),
  );
  const largest = files.sort((a, b) => b.size - a.size)[0];
  if (!largest) throw new Error(`${dir} is empty: the dashboard is not built`);
  return largest;
}

const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

export async function runDashboardBench({
  indexRequests = 200,
  assetRequests = 50,
  pageLoads = 10,
}: DashboardBenchOptions = {}): Promise<Row[]> {
  await ensureDashboardBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'hookchain-bench-dashboard-'));
  const stack = await startHookchain({
    stateDir: join(dir, 'state'),
    port: 0,
    logLevel: 'silent',
    dashboardRoot: DASHBOARD_DIST,
  });
  // One connection each, kept alive, as a browser keeps one to an origin.
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let floorServer: Awaited<ReturnType<typeof startFloorServer>> | undefined;
  let browser: Browser | undefined;
  try {
    const headers = { authorization: `Bearer ${stack.bootstrap.token}`, 'content-type': 'application/json' };
    const created = await fetch(`${stack.url}/api/v2/actions/actions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'bench-dashboard',
        supported_triggers: [{ id: 'post-login', version: 'v3' }],
        code: ACTION_CODE,
      }),
    });
    if (created.status !== 201) throw new Error(`create answered ${created.status}: ${await created.text()}`);
    const actionId = ((await created.json()) as { id: string }).id;
    // Let the build finish first: the editor polls while one runs, and the builder takes CPU.
    for (;;) {
      const reply = await fetch(`${stack.url}/api/v2/actions/actions/${actionId}`, { headers });
      const { status } = (await reply.json()) as { status: string };
      if (status === 'built' || status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    // Serving. The floor replays the front's first answer to each path, so both send the same bytes.
    const asset = await largestAsset();
    const indexPath = '/dashboard/';
    const assetPath = `/dashboard/assets/${asset.name}`;
    const index = await get(agent, `${stack.url}${indexPath}`);
    const worker = await get(agent, `${stack.url}${assetPath}`);
    for (const [path, res] of [
      [indexPath, index],
      [assetPath, worker],
    ] as const) {
      if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}`);
    }
    floorServer = await startFloorServer(
      new Map([
        [indexPath, replay(index)],
        [assetPath, replay(worker)],
        ['/floor.html', { headers: { 'content-type': 'text/html; charset=utf-8' }, body: FLOOR_PAGE }],
      ]),
    );
    const floorUrl = floorServer.url;
    // Front and floor alternate request by request, so a busy moment falls on both.
    const serve = async (path: string, iterations: number, expected: Buffer) => {
      const front: number[] = [];
      const floor: number[] = [];
      for (let i = -Math.ceil(iterations / 10); i < iterations; i++) {
        for (const [base, samples] of [
          [stack.url, front],
          [floorUrl, floor],
        ] as const) {
          const started = performance.now();
          const res = await get(agent, `${base}${path}`);
          const ms = performance.now() - started;
          if (res.status !== 200 || !res.body.equals(expected)) throw new Error(`GET ${base}${path} differs`);
          if (i >= 0) samples.push(ms);
        }
      }
      return { front: summarize(front), floor: summarize(floor) };
    };
    const indexTimes = await serve(indexPath, indexRequests, index.body);
    const assetTimes = await serve(assetPath, assetRequests, worker.body);
    agent.destroy();

    // Browser. Each load below starts in a fresh context (its own empty cache) unless it says warm.
    browser = await launchChromium();
    const chromium = browser;
    const tokenScript = `sessionStorage.setItem('hookchain.token', ${JSON.stringify(stack.bootstrap.token)})`;
    const coldLoad = async <T>(visit: (page: Page) => Promise<T>): Promise<T> => {
      const context = await chromium.newContext({ viewport: VIEWPORT });
      try {
        await context.addInitScript(tokenScript);
        const page = await context.newPage();
        page.setDefaultTimeout(60_000);
        return await visit(page);
      } finally {
        await context.close();
      }
    };
    // Navigations resolve at commit: the end mark is what the user sees, not the load event.
    const until = async (page: Page, navigate: () => Promise<unknown>, selector: string, text: string) => {
      const started = performance.now();
      await navigate();
      await page.locator(selector, { hasText: text }).waitFor();
      return performance.now() - started;
    };
    const editorUrl = `${stack.url}/dashboard/#/actions/${actionId}`;
    /** Milliseconds to the editor drawn and to the code checked, in one navigation. */
    const editor = async (page: Page, navigate: () => Promise<unknown>) => {
      const started = performance.now();
      await navigate();
      await page.locator('.monaco-editor .view-lines').waitFor();
      const shown = performance.now() - started;
      await page.locator('[data-testid=problem-summary]', { hasText: '1 error' }).waitFor();
      return { shown, checked: performance.now() - started };
    };

    // What a cold editor load transfers: body and headers as received, on an unmeasured load.
    const transferred = await coldLoad(async (page) => {
      const sizes: Promise<number>[] = [];
      const measureRequest = async (req: Request) => {
        const { responseBodySize, responseHeadersSize } = await req.sizes();
        // Workers' scripts report no body size: their Content-Length is the body as sent.
        const sent = Number((await (await req.response())?.headerValue('content-length')) ?? 0);
        return (responseBodySize || sent) + responseHeadersSize;
      };
      page.on('requestfinished', (req) => sizes.push(measureRequest(req)));
      await editor(page, () => page.goto(editorUrl, { waitUntil: 'commit' }));
      return { requests: sizes.length, bytes: (await Promise.all(sizes)).reduce((a, b) => a + b, 0) };
    });

    const floorLoads: number[] = [];
    const listLoads: number[] = [];
    const editorShown: number[] = [];
    const editorChecked: number[] = [];
    // Interleaved like the serving rows; the first round is a warm-up.
    for (let i = -1; i < pageLoads; i++) {
      const floor = await coldLoad((page) =>
        until(page, () => page.goto(`${floorUrl}/floor.html`, { waitUntil: 'commit' }), 'h1', 'Floor'),
      );
      const list = await coldLoad((page) =>
        until(
          page,
          () => page.goto(`${stack.url}/dashboard/#/actions`, { waitUntil: 'commit' }),
          'main h1',
          'Actions',
        ),
      );
      const cold = await coldLoad((page) =>
        editor(page, () => page.goto(editorUrl, { waitUntil: 'commit' })),
      );
      if (i >= 0) {
        floorLoads.push(floor);
        listLoads.push(list);
        editorShown.push(cold.shown);
        editorChecked.push(cold.checked);
      }
    }

    const warmShown: number[] = [];
    const warmChecked: number[] = [];
    await coldLoad(async (page) => {
      await editor(page, () => page.goto(editorUrl, { waitUntil: 'commit' }));
      for (let i = -1; i < pageLoads; i++) {
        const warm = await editor(page, () => page.reload({ waitUntil: 'commit' }));
        if (i >= 0) {
          warmShown.push(warm.shown);
          warmChecked.push(warm.checked);
        }
      }
    });

    const section = 'dashboard';
    const indexFloor = 'floor: bare node:http on loopback, same bytes from memory (index.html)';
    const assetFloor = 'floor: bare node:http on loopback, same bytes from memory (TS worker)';
    const pageFloor = 'floor: fresh context, one-heading HTML page from bare node:http → h1 visible';
    const encoding = (res: RawReply) => res.headers['content-encoding'] ?? 'identity';
    const p50 = (samples: number[]) => summarize(samples).p50_ms;
    return [
      {
        section,
        name: 'GET /dashboard/ (index.html) through the API front, accept-encoding gzip, sequential',
        n: indexRequests,
        ...indexTimes.front,
        floor: indexFloor,
        note: `${size(index.body.length)} ${encoding(index)} body on the wire${encoding(index) === 'identity' ? ' (under the 1 KiB gzip threshold)' : ''}`,
      },
      { section, name: indexFloor, n: indexRequests, ...indexTimes.floor },
      {
        section,
        name: `GET ${assetPath} (largest asset) through the API front, accept-encoding gzip, sequential`,
        n: assetRequests,
        ...assetTimes.front,
        floor: assetFloor,
        note: `${size(worker.body.length)} ${encoding(worker)} body on the wire (${size(asset.size)} raw)`,
      },
      { section, name: assetFloor, n: assetRequests, ...assetTimes.floor },
      {
        section,
        name: 'cold: goto #/actions → main h1 "Actions" visible (fresh context)',
        n: pageLoads,
        ...summarize(listLoads),
        floor: pageFloor,
      },
      {
        section,
        name: 'cold: goto #/actions/{id} → code checked, problem summary "1 error" (fresh context)',
        n: pageLoads,
        ...summarize(editorChecked),
        floor: pageFloor,
        note: `editor drawn at p50 ${p50(editorShown)} ms; ${transferred.requests} requests, ${size(transferred.bytes)} transferred (bodies as sent + headers)`,
      },
      {
        section,
        name: 'warm: reload #/actions/{id} → code checked (same context, HTTP cache)',
        n: pageLoads,
        ...summarize(warmChecked),
        floor: pageFloor,
        note: `editor drawn at p50 ${p50(warmShown)} ms`,
      },
      { section, name: pageFloor, n: pageLoads, ...summarize(floorLoads) },
    ];
  } finally {
    agent.destroy();
    await browser?.close();
    await floorServer?.close();
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(await runDashboardBench());
}
