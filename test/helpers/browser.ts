// The browser tests' one setup: the real Node server (@hono/node-server, embedded file libSQL) on a free port and
// Debian's Chromium driven by playwright-core at a phone's 375×667; axe-core and the horizontal-scroll check run in the page.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApp } from '../../src/app.tsx';
import { parseConfig } from '../../src/core/config.ts';
import type { Db } from '../../src/db/index.ts';
import type { Deps } from '../../src/deps.ts';
import { migrateDb, openNodeDb } from '../../src/runtime/node/db.ts';
import { nodeClientAddress } from '../../src/runtime/node/client-address.ts';
import { testDeps } from './app.ts';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
export const SHOTS = join(process.cwd(), 'test-results', 'screenshots');
export const PHONE = { width: 375, height: 667 };

export interface BrowserRun {
  base: string;
  db: Db;
  deps: Deps;
  context: BrowserContext;
  page: Page;
  shot(name: string): Promise<unknown>;
  close(): Promise<void>;
}

export interface BrowserRunOptions {
  /** The server's clock starts here and ticks in real time. */
  startsAt: number;
  /** Fills the fresh database before the server starts (organisation, campaign…). */
  prepare(db: Db): Promise<unknown>;
  deps?: Partial<Deps>;
  /** Sees every request the server receives (e.g. to read what a phone really sent). */
  observe?(req: Request): void;
}

/** A fresh database behind the real server, and one Chromium profile at 375×667 in zh-CN and Beijing time. */
export async function startBrowserRun(opts: BrowserRunOptions): Promise<BrowserRun> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM}: the browser tests need Debian's chromium (apt-get install chromium; .ci/run installs it).`);
  }
  mkdirSync(SHOTS, { recursive: true });
  const dir = mkdtempSync(join(tmpdir(), 'pingan-browser-'));
  const url = `file:${join(dir, 'pingan.db')}`;
  const db = await openNodeDb(url);
  await migrateDb(db);
  await opts.prepare(db);
  // Listen first: PUBLIC_BASE_URL (which the QR codes carry) must be the address the browser uses.
  let app: ReturnType<typeof createApp> | undefined;
  const server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: (req, env) => (opts.observe?.(req), app!.fetch(req, env)), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const started = Date.now();
  const deps = testDeps({
    db,
    config: parseConfig({ LIBSQL_URL: url, PUBLIC_BASE_URL: base, SESSION_SECRET: 'browser-test-secret-0123456789abcdef' }),
    now: () => new Date(opts.startsAt + (Date.now() - started)),
    clientAddress: nodeClientAddress(),
    ...opts.deps,
  });
  app = createApp(deps);
  const context = await chromium.launchPersistentContext(join(dir, 'chromium-profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: PHONE,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(10_000);
  return {
    base,
    db,
    deps,
    context,
    page,
    shot: (name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }),
    async close() {
      await context.close();
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let axeSource: string | undefined;

export interface PageFault {
  rule: string;
  impact: string;
  targets: string[];
}

/**
 * axe-core's critical and serious violations on the page as it stands. The source is evaluated through the
 * DevTools protocol, which the page's CSP (no inline script) does not govern.
 */
export async function seriousAxeFaults(page: Page): Promise<PageFault[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const w = window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ rule: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
}

/** The 3G profile of issue 18: 750 kbit/s down, 250 kbit/s up, 100 ms, through the DevTools protocol. */
export const THREE_G = { offline: false, latency: 100, downloadThroughput: (750 * 1000) / 8, uploadThroughput: (250 * 1000) / 8 };

export async function emulate3G(run: BrowserRun): Promise<() => Promise<void>> {
  const cdp = await run.context.newCDPSession(run.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', THREE_G);
  return async () => {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  };
}

/**
 * A photo-like JPEG of about 3 MB (4000×3000: a gradient, discs and sensor-like noise), made by the page's own canvas
 * and handed back as bytes: what a phone camera gives a resident.
 */
export async function cameraPhoto(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const w = 4000, h = 3000, c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const x = c.getContext('2d')!;
    const g = x.createLinearGradient(0, 0, w, h);
    g.addColorStop(0, '#4a7');
    g.addColorStop(1, '#a63');
    x.fillStyle = g;
    x.fillRect(0, 0, w, h);
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 400; i++) {
      x.fillStyle = `hsl(${rnd() * 360},50%,${30 + rnd() * 40}%)`;
      x.beginPath();
      x.arc(rnd() * w, rnd() * h, 20 + rnd() * 300, 0, 7);
      x.fill();
    }
    const d = x.getImageData(0, 0, w, h);
    for (let i = 0; i < d.data.length; i += 4) {
      const n = (rnd() - 0.5) * 40;
      d.data[i]! += n;
      d.data[i + 1]! += n;
      d.data[i + 2]! += n;
    }
    x.putImageData(d, 0, 0);
    const blob = (await new Promise<Blob | null>((res) => c.toBlob(res, 'image/jpeg', 0.8)))!;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 8192) bin += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return btoa(bin);
  });
  return Buffer.from(b64, 'base64');
}

/** How many CSS pixels the page is wider than the screen (0: no horizontal scroll). */
export const horizontalOverflow = (page: Page) => page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));

/** Interactive elements that are primary actions or navigation and smaller than 44 px high on screen. */
export const smallTargets = (page: Page, selector: string) =>
  page.locator(selector).evaluateAll((els) =>
    els
      .filter((e) => (e as HTMLElement).offsetParent !== null)
      .map((e) => ({ text: (e.textContent ?? '').trim().slice(0, 20), h: Math.round(e.getBoundingClientRect().height) }))
      .filter((e) => e.h < 44),
  );
