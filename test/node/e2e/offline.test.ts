// The unit portal without network (issue 19), in Chromium with the network switched off through the DevTools protocol:
// after one online visit the household-visit page loads offline; visits entered offline wait in IndexedDB, each with
// its own Idempotency-Key, and are stored once each when the network returns — even when a send had already reached
// the server before the phone lost its answer; an entry the server refuses comes back with the server's messages.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { CDPSession } from 'playwright-core';
import { submissions } from '../../../src/db/schema.ts';
import { seedOrganisation } from '../../../src/core/seed.ts';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import organisation from '../../../forms/organisation.ts';
import { startBrowserRun, type BrowserRun } from '../../helpers/browser.ts';

const MORNING = Date.parse('2014-11-04T02:00:00Z');
const VISIT_PAGE = '/unit/forms/household-visit';

let run: BrowserRun;
let cdp: CDPSession;

beforeAll(async () => {
  run = await startBrowserRun({ startsAt: MORNING, prepare: (db) => seedOrganisation(db, organisation) });
  cdp = await run.context.newCDPSession(run.page);
  await cdp.send('Network.enable');
}, 60_000);

afterAll(async () => {
  await run?.close();
});

/**
 * Switches the network off or on through the DevTools protocol: Network.emulateNetworkConditions on the page's target,
 * and (playwright's setOffline, the same command) on the service worker's own target, whose fetches the page's
 * emulation does not reach.
 */
async function network(online: boolean) {
  await cdp.send('Network.emulateNetworkConditions', online ? { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 } : { offline: true, latency: 0, downloadThroughput: 0, uploadThroughput: 0 });
  await run.context.setOffline(!online);
}

const visits = () => run.db.select().from(submissions).where(eq(submissions.formId, 'household-visit'));

/** Fills one household visit as a cadre would; the cadre, village and date stay as the page offers them. */
async function fillVisit(head: string, address: string) {
  const { page } = run;
  // The cadre and village stay chosen from one entry to the next (the form keeps selects); the first time, the first.
  for (const id of ['#f-cadre', '#f-place']) {
    if (!(await page.inputValue(id))) await page.selectOption(id, { index: 1 });
  }
  await page.fill('#f-householdHead', head);
  await page.fill('#f-address', address);
  for (const [name, value] of [['almanac', 'yes'], ['aware', 'yes'], ['participated', 'no'], ['satisfaction', 'satisfied']] as const) {
    await page.check(`input[name="${name}"][value="${value}"]`);
  }
}

const queueHeading = () => run.page.locator('#offline-queue h2').first().textContent();

describe('the unit portal offline', () => {
  it('keeps the form pages after one online visit, queues three visits offline and stores each once when the network returns', async () => {
    const { page, base } = run;
    const { code } = await issueAccessCode(run.db, { unitCode: 'chencang', label: 'offline test' });
    await page.goto(`${base}/signin?next=${encodeURIComponent(VISIT_PAGE)}`);
    await page.fill('#code', code);
    await Promise.all([page.waitForURL((u) => u.pathname === VISIT_PAGE), page.click('button[type=submit]:has-text("登录")')]);
    // The one online visit: the worker is installed and keeps the dashboard and every form page.
    await page.locator('html[data-offline-ready="1"]').waitFor({ state: 'attached' });
    const manifest = await page.evaluate(async () => (await fetch('/manifest.webmanifest')).json());
    expect(manifest).toMatchObject({ start_url: '/unit', display: 'standalone', lang: 'zh-CN' });

    await network(false);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    const offlineLoad = await page.goto(`${base}${VISIT_PAGE}`);
    expect(offlineLoad!.fromServiceWorker()).toBe(true);
    await expect(page.locator('h1').first().textContent()).resolves.toContain('入户');
    // Another kept form page opens too; a page never visited shows the 没有网络 page instead of the browser's error.
    expect((await page.goto(`${base}/unit/forms/patrol-team`))!.fromServiceWorker()).toBe(true);
    await page.goto(`${base}/unit/cadres`);
    await expect(page.locator('h1').textContent()).resolves.toBe('没有网络');
    await page.goto(`${base}/f/hazard-tip`);
    await expect(page.locator('h1').textContent()).resolves.toBe('没有网络');

    await page.goto(`${base}${VISIT_PAGE}`);
    const before = (await visits()).length;
    for (const [i, head] of ['赵一', '钱二', '孙三'].entries()) {
      await fillVisit(head, `${i + 1}组${i + 10}号`);
      await page.click('form[action^="/unit/forms/household-visit"] button[type=submit]');
      await expect.poll(queueHeading).toBe(`待上传 ${i + 1} 条`);
    }
    // One the server will refuse: the address left empty (the page sends as it is; the server decides).
    await fillVisit('李四', '');
    await page.click('form[action^="/unit/forms/household-visit"] button[type=submit]');
    await expect.poll(queueHeading).toBe('待上传 4 条');
    expect(await page.locator('#offline-queue [data-status="pending"]').count()).toBe(4);
    expect((await visits()).length).toBe(before);

    const queued = await page.evaluate(
      () =>
        new Promise<{ key: string; fields: [string, string][]; action: string }[]>((ok) => {
          const q = indexedDB.open('pingan-offline', 1);
          q.onsuccess = () => {
            const r = q.result.transaction('entries').objectStore('entries').getAll();
            r.onsuccess = () => ok(r.result as { key: string; fields: [string, string][]; action: string }[]);
          };
        }),
    );
    expect(new Set(queued.map((e) => e.key)).size).toBe(4);

    // A send that reached the server before the phone lost the answer (a crash mid-send): the entry is still queued.
    await network(true);
    const first = queued.find((e) => e.fields.some(([n, v]) => n === 'householdHead' && v === '赵一'))!;
    const early = await page.evaluate(async (e) => {
      const body = new URLSearchParams();
      for (const [n, v] of e.fields) body.append(n, v);
      const r = await fetch(e.action, { method: 'POST', body, headers: { 'Idempotency-Key': e.key, Accept: 'application/json' } });
      return `${r.status} ${await r.text()}`;
    }, first);
    // The browser's own "online" event may have started the queue already: then this post is the repeat (200,
    // the first record's answer). Either way the entry is stored once (checked below, for every entry).
    expect(early).toMatch(/^(201 |200 \{"id":\d+,"created":false\})/);
    expect((await visits()).length).toBeGreaterThanOrEqual(before + 1);

    // The network is back: the page hears it and sends the queue (the button does the same).
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await expect.poll(queueHeading, { timeout: 15_000 }).toBe('待上传 0 条');
    const stored = await visits();
    expect(stored.length).toBe(before + 3);
    const heads = stored.slice(before).map((s) => s.formId);
    expect(heads).toEqual(['household-visit', 'household-visit', 'household-visit']);
    expect(stored.filter((s) => s.idempotencyKey?.startsWith('unit:chencang:')).map((s) => s.idempotencyKey!.slice('unit:chencang:'.length)).sort()).toEqual(
      queued.filter((e) => !e.fields.some(([n, v]) => n === 'householdHead' && v === '李四')).map((e) => e.key).sort(),
    );
    // Each sent entry shows its record number; the refused one carries the server's message beside its field.
    const sent = page.locator('#offline-queue [data-status="sent"]');
    expect(await sent.count()).toBe(3);
    for (const text of await sent.allTextContents()) expect(text).toMatch(/已上传，记录号 \d+/);
    const refused = page.locator('#offline-queue [data-status="refused"]');
    expect(await refused.count()).toBe(1);
    await expect(refused.textContent()).resolves.toContain('住址');

    // Pressing send again (or a second tab) stores nothing more: the entries are sent, and the server's key decides.
    await page.click('#offline-queue [data-sync]', { force: true }).catch(() => undefined);
    await page.evaluate(async (e) => {
      const body = new URLSearchParams();
      for (const [n, v] of e.fields) body.append(n, v);
      await fetch(e.action, { method: 'POST', body, headers: { 'Idempotency-Key': e.key, Accept: 'application/json' } });
    }, first);
    expect((await visits()).length).toBe(before + 3);

    // The refused entry goes back to the form with the server's messages; corrected, it is stored.
    await refused.locator('button:has-text("回到表单修改")').click();
    await expect(page.locator('[data-offline-errors]').textContent()).resolves.toContain('住址');
    await expect(page.locator('#f-householdHead').inputValue()).resolves.toBe('李四');
  }, 90_000);
});
