// Campaign settings inside workerd: the Worker caches them per isolate and still sees a change saved
// elsewhere (another isolate, the CLI, the office's page on another server) on the next request.
import { env, SELF } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import { templateSettings } from '../../src/campaign/settings.ts';

const BASE = 'https://pingan.example.org';

describe('campaign settings in workerd', () => {
  it('picks up a settings change saved by someone else without a redeploy', async () => {
    const db = createClient({ url: (env as { LIBSQL_URL: string }).LIBSQL_URL, intMode: 'number' });
    // The first campaign, stored as `npx pingan seed` stores it.
    await db.execute({
      sql: `INSERT INTO campaigns (name, start_date, end_date, current, version, settings, created_at, updated_at, updated_by)
            SELECT ?, ?, ?, 1, 1, ?, ?, ?, 'workers test' WHERE NOT EXISTS (SELECT 1 FROM campaigns WHERE current = 1)`,
      args: [templateSettings().name, templateSettings().startDate, templateSettings().endDate, JSON.stringify(templateSettings()), Date.now(), Date.now()],
    });
    const read = async () => (await (await SELF.fetch(`${BASE}/api/v1/campaign`)).json()) as { version: number; brand: string; rankingThreshold: number };
    const before = await read();
    expect(before.brand).toBe('平安金台');
    const page = await (await SELF.fetch(`${BASE}/`)).text();
    expect(page).toContain('<title>');
    expect(page).toContain('平安金台');

    // Another server saves an edit: the next request through this isolate's cache sees it.
    const edited = { ...templateSettings(), brand: '平安新城', rankingThreshold: 75 };
    await db.execute({ sql: 'UPDATE campaigns SET settings = ?, version = version + 1 WHERE current = 1', args: [JSON.stringify(edited)] });
    try {
      const after = await read();
      expect(after).toMatchObject({ version: before.version + 1, brand: '平安新城', rankingThreshold: 75 });
      expect(await (await SELF.fetch(`${BASE}/`)).text()).toContain('平安新城');
    } finally {
      await db.execute({ sql: 'UPDATE campaigns SET settings = ?, version = version + 1 WHERE current = 1', args: [JSON.stringify(templateSettings())] });
    }
    expect((await read()).brand).toBe('平安金台');
  });
});
