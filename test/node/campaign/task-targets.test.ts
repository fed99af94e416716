// The office sets a task's target on its campaign page (the almanac's 300 households per town is the template's
// placeholder): the save keeps what the page does not show — where the task is counted from, the per-officer target —
// so the figure stays counted from the register and the town sees the new target at once.
import { describe, expect, it } from 'vitest';
import { ensureCampaign } from '../../../src/campaign/store.ts';
import { templateSettings } from '../../../src/campaign/settings.ts';
import { settingsToValues } from '../../../src/campaign/page.tsx';
import { makeTestApp } from '../../helpers/app.ts';
import { signIn, type Json } from '../../helpers/unit-portal.ts';

describe('task targets in the campaign editor', () => {
  it('saves a new almanac target from the page and keeps the task counted from the visits', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    await ensureCampaign(t.db, templateSettings(), t.deps.now().getTime(), 'test');
    const office = await signIn(t, 'office');
    const values = settingsToValues(templateSettings());
    const i = templateSettings().tasks.findIndex((x) => x.id === 'towns-almanacs');
    expect(values[`tasks[${i}].target`]).toBe('300');
    expect(Object.keys(values).some((k) => k.startsWith(`tasks[${i}].from`))).toBe(false);

    const saved = await office.post('/admin/campaign', { ...values, version: '1', [`tasks[${i}].target`]: '420' });
    expect([saved.status, saved.headers.get('location')]).toEqual([303, '/admin/campaign?saved=1']);
    const campaign = (await (await t.app.request('/api/v1/campaign')).json()) as Json;
    expect(campaign.tasks.find((x: Json) => x.id === 'towns-almanacs')).toEqual({
      id: 'towns-almanacs', unitKind: 'town', label: '入户发放《平安历书》（每户一本）', target: 420, unitLabel: '户', rule: 'R7',
      from: { form: 'household-visit', count: 'entries', where: { field: 'almanac', equals: ['yes'] } },
    });
    const town = await signIn(t, 'chencang');
    const tasks = (await (await town.api('/api/v1/unit/tasks')).json()) as Json[];
    expect(tasks.find((x) => x.id === 'towns-almanacs')).toMatchObject({ target: 420, done: 0, source: 'register' });

    // An API client removes the source on purpose with null; the task is then typed.
    const put = await office.api('/api/v1/admin/campaign', { method: 'PUT', body: { tasks: campaign.tasks.map((x: Json) => (x.id === 'towns-almanacs' ? { ...x, from: null } : x)) } });
    expect(put.status).toBe(200);
    const after = (await (await town.api('/api/v1/unit/tasks')).json()) as Json[];
    expect(after.find((x) => x.id === 'towns-almanacs')).toMatchObject({ target: 420, source: 'typed' });
    // Every other task kept its source through both saves.
    expect(after.filter((x) => x.source !== 'typed').map((x) => x.id)).toEqual(tasks.filter((x) => x.source !== 'typed' && x.id !== 'towns-almanacs').map((x) => x.id));
  });
});
