// Campaign settings over HTTP: the public read, the office's edits (API and page) and the next campaign.
import { Hono } from 'hono';
import { asc, eq } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { units } from '../db/schema.ts';
import { requireRole, type AuthEnv } from '../auth/middleware.ts';
import type { Principal } from '../auth/codes.ts';
import { AppError, validationFailed, type FieldError } from '../lib/errors.ts';
import { limitBody } from '../lib/body-limit.ts';
import { JSON_OBJECT, vJson } from '../lib/validation.ts';
import { METRIC_KEYS, QUOTA_ROLES, publicTask, type CurrentCampaign } from './settings.ts';
import { currentCampaign, listCampaigns, saveCampaignSettings, startCampaign } from './store.ts';
import { CampaignPage, settingsToValues, type FormValues } from './page.tsx';

/** A campaign's settings are small; a whole edit with 500 tasks stays far below this. */
const MAX_SETTINGS_BYTES = 256 * 1024;

export function campaignJson(c: CurrentCampaign) {
  const { tasks, timezone: _tz, ...rest } = c.settings;
  return { id: c.id, version: c.version, ...rest, tasks: tasks.map(publicTask) };
}

const savedBy = (p: Principal) => `${p.unitCode}#${p.codeId}`;

/** The page's flat field names back into a settings patch; `back` maps a patch path to the form's field. */
export function valuesToPatch(v: FormValues): { patch: Record<string, unknown>; back: (field: string) => string } {
  const rows = (list: string, keep: (r: Record<string, string>) => boolean) => {
    const out: Record<string, string>[] = [];
    const formIndex: number[] = [];
    for (let i = 0; i < 1000; i++) {
      const r: Record<string, string> = {};
      let any = false;
      for (const [k, val] of Object.entries(v)) {
        const m = /^([a-zA-Z]+)\[(\d+)\]\.(\w+)$/.exec(k);
        if (m && m[1] === list && Number(m[2]) === i) {
          r[m[3]!] = val.trim();
          any = true;
        }
      }
      if (!any) break;
      if (keep(r)) {
        out.push(r);
        formIndex.push(i);
      }
    }
    return { out, formIndex };
  };
  const deadlines = rows('deadlines', (r) => Boolean(r.label || r.date));
  const bands = rows('patrolSizes', (r) => Boolean(r.populationBelow || r.min || r.max));
  const tasks = rows('tasks', (r) => Boolean(r.title || r.target));
  const patch: Record<string, unknown> = {
    name: v.name, district: v.district, brand: v.brand, office: v.office, startDate: v.startDate, endDate: v.endDate,
    deadlines: deadlines.out,
    visitQuotas: Object.fromEntries(QUOTA_ROLES.map((r) => [r, v[`visitQuotas.${r}`]])),
    patrolSizes: bands.out.map((b) => ({ ...b, populationBelow: b.populationBelow || null })),
    rankingWeights: Object.fromEntries(METRIC_KEYS.map((k) => [k, v[`rankingWeights.${k}`]])),
    rankingThreshold: v.rankingThreshold,
    retentionDays: v.retentionDays,
    hazardDeadline: { days: v['hazardDeadline.days'], kind: v['hazardDeadline.kind'], remindDaysBefore: v['hazardDeadline.remindDaysBefore'] },
    slogans: (v.slogans ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
    tasks: tasks.out,
  };
  const lists: Record<string, number[]> = { deadlines: deadlines.formIndex, patrolSizes: bands.formIndex, tasks: tasks.formIndex };
  const back = (field: string) =>
    field.replace(/^(deadlines|patrolSizes|tasks)\[(\d+)\]/, (_, l: string, i: string) => `${l}[${lists[l]![Number(i)] ?? i}]`);
  return { patch, back };
}

async function formValues(c: { req: { parseBody: () => Promise<Record<string, unknown>> } }): Promise<FormValues> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).filter(([, val]) => typeof val === 'string')) as FormValues;
}

export function campaignRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const admin = requireRole(deps, ['admin']);
  const body = limitBody(MAX_SETTINGS_BYTES);

  app.get('/api/v1/campaign', async (c) => c.json(campaignJson(await currentCampaign(deps.db))));

  app.put('/api/v1/admin/campaign', admin, body, vJson(JSON_OBJECT), async (c) => {
    const input = c.req.valid('json');
    const expected = c.req.header('if-match');
    const saved = await saveCampaignSettings(deps.db, input, {
      at: deps.now().getTime(),
      by: savedBy(c.get('principal')),
      expectedVersion: expected && /^\d+$/.test(expected.replace(/"/g, '')) ? Number(expected.replace(/"/g, '')) : undefined,
    });
    if (!saved.ok) throw validationFailed(saved.errors, '活动设置有误，尚未保存');
    return c.json(campaignJson(saved.campaign));
  });

  app.get('/api/v1/admin/campaigns', admin, async (c) => c.json(await listCampaigns(deps.db)));

  app.post('/api/v1/admin/campaigns', admin, body, vJson(JSON_OBJECT), async (c) => {
    const started = await startCampaign(deps.db, c.req.valid('json'), { at: deps.now().getTime(), by: savedBy(c.get('principal')) });
    if (!started.ok) throw validationFailed(started.errors, '新活动的信息有误，尚未开始');
    return c.json(campaignJson(started.campaign), 201);
  });

  const render = async (props: { values?: FormValues; errors?: FieldError[]; notice?: string; next?: { values: FormValues; errors: FieldError[] } }) => {
    const cur = await currentCampaign(deps.db);
    const [list, owners] = await Promise.all([
      listCampaigns(deps.db),
      deps.db.select({ code: units.code, name: units.name }).from(units).where(eq(units.kind, 'department')).orderBy(asc(units.code)),
    ]);
    return (
      <CampaignPage
        values={props.values ?? settingsToValues(cur.settings)}
        version={cur.version}
        errors={props.errors}
        notice={props.notice}
        campaigns={list}
        owners={owners}
        next={props.next}
      />
    );
  };

  app.get('/admin/campaign', admin, async (c) => {
    const notice = c.req.query('saved') ? '设置已保存，从现在起生效。' : c.req.query('started') ? '新一期活动已开始。' : undefined;
    return c.html(await render({ notice }));
  });

  app.post('/admin/campaign', admin, body, async (c) => {
    const values = await formValues(c);
    const { patch, back } = valuesToPatch(values);
    const version = /^\d+$/.test(values.version ?? '') ? Number(values.version) : undefined;
    try {
      const saved = await saveCampaignSettings(deps.db, patch, { at: deps.now().getTime(), by: savedBy(c.get('principal')), expectedVersion: version });
      if (saved.ok) return c.redirect('/admin/campaign?saved=1', 303);
      const errors = saved.errors.map((e) => ({ ...e, field: back(e.field) }));
      return c.html(await render({ values, errors }), 422);
    } catch (err) {
      if (err instanceof AppError && err.code === 'STALE_EDIT') {
        return c.html(await render({ values, errors: [{ field: '', message: err.message }] }), 409);
      }
      throw err;
    }
  });

  app.post('/admin/campaigns', admin, body, async (c) => {
    const values = await formValues(c);
    const started = await startCampaign(deps.db, values, { at: deps.now().getTime(), by: savedBy(c.get('principal')) });
    if (started.ok) return c.redirect('/admin/campaign?started=1', 303);
    return c.html(await render({ next: { values, errors: started.errors } }), 422);
  });

  return app;
}
