// One entry counts everywhere: a task with a register source is computed from it (publicity → slogans and
// boards, mediation → dispute screenings), with a town's villages included; typed reports count only where
// no register exists; the daily ranking's G reads the same figures.
import { describe, expect, it } from 'vitest';
import { issueAccessCode } from '../../../src/auth/codes.ts';
import { applySettingsPatch, templateSettings } from '../../../src/campaign/settings.ts';
import { computeRanking } from '../../../src/rankings/snapshot.ts';
import { makeTestApp } from '../../helpers/app.ts';
import { apiAs, type Json } from '../../helpers/unit-portal.ts';

const as = apiAs;

const publicity = (extra: Record<string, unknown>) => ({ date: '2014-11-03', location: '3组村委会墙面', locationKind: 'villager-group', ...extra });

describe('tasks computed from the registers', () => {
  it('a publicity entry moves the slogan and board tasks and a village’s entry its town’s', async () => {
    const t = await makeTestApp({ now: '2014-11-04T02:00:00Z' });
    const [town, village] = [await as(t, 'chencang'), await as(t, 'chencang-v1')];
    const before = (await town('/api/v1/unit/tasks')).body as Json[];
    const slogans = () => before.find((x) => x.id === 'towns-wall-slogans');
    expect(slogans()).toMatchObject({ target: 30, done: 0, source: 'register' });
    expect(before.find((x) => x.id === 'towns-volunteer-patrols').source).toBe('typed');

    expect((await town('/api/v1/unit/forms/publicity/submissions', publicity({ wallSlogans: 3, banners: 1, boards: 2 }))).status).toBe(201);
    expect((await village('/api/v1/unit/forms/publicity/submissions', publicity({ wallSlogans: 2 }))).status).toBe(201);
    // A school's slogans are the education bureau's task, not the town's villager groups'.
    expect((await town('/api/v1/unit/forms/publicity/submissions', publicity({ locationKind: 'school', wallSlogans: 5 }))).status).toBe(201);
    const after = (await town('/api/v1/unit/tasks')).body as Json[];
    const done = (id: string) => after.find((x) => x.id === id).done;
    expect([done('towns-wall-slogans'), done('towns-publicity-boards')]).toEqual([6, 3]);
    // The village sees its own figure only.
    expect(((await village('/api/v1/unit/tasks')).body as Json[]).length).toBe(0);

    // The dashboard shows the same figure.
    const { code } = await issueAccessCode(t.db, { unitCode: 'chencang' });
    const page = await (await t.app.request('/unit', { headers: { authorization: `Bearer ${code}` } })).text();
    expect(page).toContain('6 / 30 条');

    // The ranking's G metric reads the registers too.
    const ranking = await computeRanking(t.db, '2014-11-04');
    const chencang = ranking.find((r: Json) => r.unitCode === 'chencang') as Json;
    expect(chencang.metrics.G.value).toBeGreaterThan(0);
    expect((ranking.find((r: Json) => r.unitCode === 'panlong') as Json).metrics.G.value).toBe(0);
  });

  it('checks a task’s source in the campaign settings field by field', () => {
    const s = templateSettings() as Json;
    s.tasks[0] = { ...s.tasks[0], from: { form: 'publicity', count: 'sum' } };
    s.tasks[1] = { ...s.tasks[1], from: { form: 'Bad Form!', count: 'often', fields: ['x'] } };
    const r = applySettingsPatch(templateSettings(), { tasks: s.tasks }) as Json;
    expect(r.ok).toBe(false);
    expect(r.errors.map((e: Json) => e.field)).toEqual(['tasks[0].from.fields', 'tasks[1].from.form', 'tasks[1].from.count']);
  });
});
