// Form versions inside workerd: the Worker caches the forms per isolate and serves a version published
// elsewhere (the office's page on another server, an import, the CLI) on the next request, with no redeploy.
import { env, SELF } from 'cloudflare:test';
import { createClient } from '@libsql/client/web';
import { describe, expect, it } from 'vitest';
import TEMPLATE_FORMS from '../../forms/index.ts';

const BASE = 'https://pingan.example.org';

describe('form versions in workerd', () => {
  it('serves a newly published version without a redeploy', async () => {
    const db = createClient({ url: (env as { LIBSQL_URL: string }).LIBSQL_URL, intMode: 'number' });
    const template = TEMPLATE_FORMS.find((f) => f.id === 'mass-feedback')!;
    const read = async () => (await (await SELF.fetch(`${BASE}/api/v1/forms/mass-feedback`)).json()) as { version: number; title: string; schema: { properties: Record<string, unknown> } };
    const before = await read();
    expect(before.title).toBe(template.title);
    await SELF.fetch(`${BASE}/`); // the landing page lists the public forms through the same cache

    const next = before.version + 1;
    const edited = {
      ...template,
      version: next,
      title: '平安建设群众意见（新版）',
      fields: [...template.fields, { name: 'smokeAlarm', type: 'boolean', label: '您家安装烟感报警器了吗？' }],
    };
    const at = Date.now();
    await db.batch([
      {
        sql: `INSERT INTO forms (id, version, definition, updated_at, updated_by) VALUES ('mass-feedback', ?, ?, ?, 'workers test')
              ON CONFLICT (id) DO UPDATE SET version = excluded.version, definition = excluded.definition`,
        args: [next, JSON.stringify(edited), at],
      },
      { sql: `INSERT INTO form_versions (form_id, version, definition, note, saved_at, saved_by) VALUES ('mass-feedback', ?, ?, '', ?, 'workers test')`, args: [next, JSON.stringify(edited), at] },
    ]);
    try {
      const after = await read();
      expect(after).toMatchObject({ version: next, title: '平安建设群众意见（新版）' });
      expect(after.schema.properties.smokeAlarm).toMatchObject({ type: 'boolean', title: '您家安装烟感报警器了吗？' });
      expect(await (await SELF.fetch(`${BASE}/`)).text()).toContain('平安建设群众意见（新版）');
      // The earlier version stays readable, as old answers need it.
      const earlier = (await (await SELF.fetch(`${BASE}/api/v1/forms/mass-feedback?version=${before.version}`)).json()) as { title: string };
      expect(earlier.title).toBe(template.title);
    } finally {
      await db.batch([
        { sql: `UPDATE forms SET version = ?, definition = ? WHERE id = 'mass-feedback'`, args: [next + 1, JSON.stringify({ ...template, version: next + 1 })] },
        { sql: `DELETE FROM form_versions WHERE form_id = 'mass-feedback' AND version = ?`, args: [next] },
      ]);
    }
    expect((await read()).title).toBe(template.title);
  });
});
