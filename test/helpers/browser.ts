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
  prepare(db: Db): Promise<void>;
  deps?: Partial<Deps>;
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
    const s = serve({ fetch: (req, env) => app!.fetch(req, env), port: 0, hostname: '127.0.0.1' }, () => resolve(s));
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
