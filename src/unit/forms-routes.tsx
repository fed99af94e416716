// A unit's forms: fast entry pages (cadre and village kept between entries, today's entries beneath
// with edit and delete), and the same through the API with a Bearer access code.
import { Hono, type Context } from 'hono';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Deps } from '../deps.ts';
import { units } from '../db/schema.ts';
import type { Principal } from '../auth/codes.ts';
import { assertCanWrite, requireRole, type AuthEnv } from '../auth/middleware.ts';
import { portalScope } from './layout.tsx';
import { WriteTrustedCache } from '../core/request-memo.ts';
import type { FormContext } from '../forms/context.ts';
import { maskPersonal, shownAnswers } from '../forms/personal.ts';
import { mergeErrors, validateAnswers } from '../forms/schema.ts';
import { normaliser } from '../forms/normalise.ts';
import type { Answers, FormDefinition } from '../forms/types.ts';
import { AppError, forbidden, notFound, validationFailed } from '../lib/errors.ts';
import { isValidDay, shanghaiDay } from '../lib/time.ts';
import { limitBody } from '../lib/body-limit.ts';
import { JSON_OBJECT, vJson } from '../lib/validation.ts';
import { storeSubmission } from '../submissions/store.ts';
import { checkFormToken, issueFormToken } from '../submissions/tokens.ts';
import { getUnit, listCadres, placesFor, type UnitInfo } from './roster/roster.ts';
import { reportableTasks, TASK_REPORT_FORM } from './tasks.ts';
import { withDerived } from './derived.ts';
import { assertNotHazard, deleteRecord, keepStoredPersonal, ownRecord, recordsOfDay, updateRecord, type UnitRecord } from './records.ts';
import { unitQuery } from './layout.tsx';
import { EntryPage, type EntryPageProps } from './forms-pages.tsx';
import { currentCampaign } from '../campaign/store.ts';
import { formById, formVersionsFor } from '../forms/store.ts';
import { acceptsLocation, locationFromForm, takeLocation } from '../hazards/location.ts';
import { LocationField, locationValuesOf, type LocationValues } from '../web/location.tsx';

const MAX_BODY = 64 * 1024;
/** Field types whose answer usually stays the same from one entry to the next (a night of one cadre's visits). */
const STICKY_TYPES = new Set(['cadre', 'place', 'date', 'task']);

/**
 * A unit's Idempotency-Key, kept per unit (unit:<code>:<key>) so two units choosing the same key never meet; the
 * page's POST honours it too, which the offline queue relies on: an entry resent after a lost answer is stored once.
 */
function unitIdempotencyKey(c: Context, unitCode: string): string | undefined {
  const key = c.req.header('idempotency-key')?.trim();
  if (key === undefined) return undefined;
  if (key.length === 0 || key.length > 200) throw new AppError(400, 'BAD_IDEMPOTENCY_KEY', 'Idempotency-Key 应为 1–200 个字符');
  return `unit:${unitCode}:${key}`;
}

/** The offline queue posts the page's own form but asks for JSON: its 201 is the receipt, its 422 the server's messages. */
const wantsJsonAnswer = (c: Context) => /application\/json/.test(c.req.header('accept') ?? '');

/** The optional location block of the ledger (new entries only). */
const locationBlock = (formId: string, values?: LocationValues, errors?: readonly { field: string; message: string }[]) =>
  acceptsLocation(formId) ? <LocationField values={values} error={errors?.find((e) => e.field === '_location')?.message} /> : undefined;

/** The unit form with this id: 404 unknown, 403 for a public form (those go through /f/). */
export async function unitForm(db: Deps['db'], formId: string): Promise<FormDefinition> {
  const form = await formById(db, formId);
  if (!form) throw notFound('找不到该表单');
  if (form.audience !== 'unit') throw forbidden('这是群众表单，请通过公开链接填写');
  return form;
}

const unitLists = new WriteTrustedCache<[Awaited<ReturnType<typeof listCadres>>, Awaited<ReturnType<typeof placesFor>>, { code: string; name: string }[]]>();

/** The lists a unit's 'cadre', 'place', 'unit' and 'task' fields choose from. */
export async function unitFormContext(deps: Deps, unit: UnitInfo): Promise<FormContext> {
  const { settings: campaign } = await currentCampaign(deps.db);
  // A post trusts the lists its entry page was built from a moment before (WriteTrustedCache): one batch, no reads.
  const [cadres, places, allUnits] = await unitLists.get(deps.db, unit.code, () =>
    Promise.all([
      // A village entering its visits picks its own cadres and the town's cadres assigned to it.
      listCadres(deps.db, unit.code, { activeOnly: true, quotas: campaign.visitQuotas, assignedHere: unit.kind === 'village' || unit.kind === 'community' }),
      placesFor(deps.db, unit),
      deps.db
        .select({ code: units.code, name: units.name })
        .from(units)
        .where(and(inArray(units.kind, ['office', 'town', 'subdistrict', 'department']), eq(units.active, true)))
        .orderBy(asc(units.code)),
    ]),
  );
  return {
    campaign,
    today: shanghaiDay(deps.now()),
    cadres: cadres.map((c) => ({ id: c.id, name: c.assignedName ? `${c.name} · ${c.assignedName}` : c.name, assignedCode: c.assignedCode })),
    places: places.map((p) => ({ code: p.code, name: p.name })),
    units: allUnits,
    // Typed tasks, and those counting the objects named in their own reports (a school inspected, a café checked).
    tasks: reportableTasks(unit, campaign.tasks).filter((t) => !t.from || t.from.form === TASK_REPORT_FORM).map((t) => ({ id: t.id, title: `${t.title}（${unit.kind === 'station' && t.perOfficer ? `每名干警 ${t.perOfficer}` : `目标 ${t.target}`} ${t.unitLabel}）` })),
  };
}

export const OFFICER_REQUIRED_MESSAGE = '派出所填报“三个一”时，请选择完成的包村、社区干警';

/**
 * A unit's answers checked as validateAnswers checks them, and then across fields: a police station's report of a
 * "三个一" task (one with a per-officer target) names the officer who did it — without one it would count for no town.
 * Reported with the other fields' errors, in one round. An older record kept without an officer (before the rule)
 * may still be edited as long as its task stays the same.
 */
async function validateUnitAnswers(
  db: Deps['db'],
  form: FormDefinition,
  input: Record<string, unknown>,
  ctx: FormContext,
  unit: Pick<UnitInfo, 'kind'>,
  stored?: Answers,
): Promise<ReturnType<typeof validateAnswers>> {
  const result = validateAnswers(form, input, ctx);
  if (form.id !== TASK_REPORT_FORM || unit.kind !== 'station') return result;
  // The two answers as the engine reads them, even when another field failed.
  const given = (name: string) => {
    if (result.ok) return result.answers[name];
    const f = form.fields.find((x) => x.name === name);
    return f ? normaliser(f)(input[name]) : undefined;
  };
  const taskId = given('task');
  if (given('officer') !== undefined || taskId === undefined) return result;
  if (stored && stored.officer === undefined && stored.task === taskId) return result;
  const task = (await currentCampaign(db)).settings.tasks.find((t) => t.id === String(taskId));
  if (!task?.perOfficer || task.from) return result;
  return { ok: false, errors: mergeErrors(form, result.ok ? [] : result.errors, [{ field: 'officer', message: OFFICER_REQUIRED_MESSAGE }]) };
}

/** Form fields from an urlencoded body, keeping repeated names (checkboxes) as arrays. */
async function formInput(c: Context): Promise<Record<string, unknown>> {
  return (await c.req.parseBody({ all: true })) as Record<string, unknown>;
}

export function unitFormRoutes(deps: Deps) {
  const app = new Hono<AuthEnv>();
  const readers = requireRole(deps, ['unit', 'admin', 'leader']);
  const writers = requireRole(deps, ['unit', 'admin']);
  const limit = limitBody(MAX_BODY, '提交的内容太大');

  async function scope(c: Context<AuthEnv>, write: boolean) {
    // The form's check and (for the office acting for a unit) the unit are read together; a unit's own came with its session.
    const [form, { principal, unit }] = await Promise.all([unitForm(deps.db, c.req.param('formId')!), portalScope(deps, c, { write })]);
    return { principal, form, unit };
  }

  /** The record's unit must be the one the page acts for, so the office edits a record in its own unit's view. */
  /**
   * A record the principal may edit, the unit whose view it is edited in and — for an edit — the unit whose lists
   * (cadres, places, tasks) its answers are checked against: the record's own, as when it was entered.
   */
  async function recordIn(principal: Principal, form: FormDefinition, unit: UnitInfo, id: number, opts: { lists?: boolean } = {}) {
    const record = await ownRecord(deps.db, principal, form, id);
    if (record.unitCode === unit.code) return { record, unit, lists: unit };
    // ownRecord let a unit through only for its own or its villages' (or stations') records: a town edits a village's
    // in its own view, with the village's lists — a village's own cadres, a station's officers and tasks.
    if (principal.role === 'unit') return { record, unit, lists: opts.lists ? ((await getUnit(deps.db, record.unitCode ?? '')) ?? unit) : unit };
    const own = (await getUnit(deps.db, record.unitCode ?? ''))!;
    return { record, unit: own, lists: own };
  }

  const page = async (
    c: Context<AuthEnv>,
    base: { principal: Principal; form: FormDefinition; unit: UnitInfo },
    extra: Partial<EntryPageProps> & { status?: number; cadreDefault?: { field: string; cadre: number }; /** Whose lists the form offers (default: the view's unit). */ lists?: UnitInfo } = {},
  ) => {
    const today = shanghaiDay(deps.now());
    const dayQuery = c.req.query('day');
    const day = dayQuery && isValidDay(dayQuery) ? dayQuery : today;
    const [ctx, records, token] = await Promise.all([
      unitFormContext(deps, extra.lists ?? base.unit),
      recordsOfDay(deps.db, base.form.id, base.unit.code, day),
      extra.editing ? Promise.resolve(undefined) : issueFormToken(deps),
    ]);
    // Each record carries its hazard number (one read); an entry under an older form version reads that version.
    const hazardNumbers = new Map(records.flatMap((r) => (r.hazardNumber ? [[r.id, r.hazardNumber] as const] : [])));
    const versions = await formVersionsFor(deps.db, base.form, records.map((r) => r.formVersion));
    // A cadre picked in the last entry (?cadre=) visits in the village assigned to them (R1): offer it until another is chosen.
    const { status, cadreDefault, lists: _lists, ...rest } = extra;
    if (cadreDefault && rest.values && rest.values[cadreDefault.field] === undefined) {
      const assigned = ctx.cadres?.find((x) => x.id === cadreDefault.cadre)?.assignedCode;
      if (assigned) rest.values = { ...rest.values, [cadreDefault.field]: assigned };
      rest.focus = base.form.fields.find((f) => rest.values![f.name] === undefined)?.name;
    }
    if (!rest.editing && rest.extra === undefined) rest.extra = locationBlock(base.form.id);
    return c.html(
      <EntryPage {...base} ctx={ctx} values={{}} errors={[]} records={records} versions={versions} hazardNumbers={hazardNumbers} day={day} today={today} token={token} {...rest} />,
      (status ?? 200) as 200,
    );
  };

  app.get('/unit/forms/:formId', readers, async (c) => {
    const base = await scope(c, false);
    const editId = c.req.query('edit');
    if (editId !== undefined) {
      assertCanWrite(base.principal);
      const { record, unit, lists } = await recordIn(base.principal, base.form, base.unit, Number(editId), { lists: true });
      await assertNotHazard(deps.db, record.id);
      // Only the office sees personal data in full; anyone else edits without it, and empty keeps the stored value.
      const values = base.principal.role === 'admin' ? { ...record.answers, ...record.personal } : { ...record.answers };
      return page(c, { ...base, unit }, { editing: record, values, focus: base.form.fields[0]?.name, lists });
    }
    // Kept from the last entry (query), so a night of one cadre's visits needs no re-selection.
    const values: Record<string, unknown> = {};
    for (const f of base.form.fields) {
      const v = c.req.query(f.name);
      if (STICKY_TYPES.has(f.type) && v) values[f.name] = v;
    }
    if (!values.visitDate && base.form.fields.some((f) => f.name === 'visitDate')) values.visitDate = shanghaiDay(deps.now());
    // A cadre visits in the village assigned to them (R1): the page offers it (from the unit's own cadre list).
    const placeField = base.form.fields.find((f) => f.type === 'place');
    // Only a whole number can name a cadre: a hand-edited ?cadre=abc names none.
    const cadreDefault = placeField && typeof values.cadre === 'string' && /^\d{1,9}$/.test(values.cadre) ? { field: placeField.name, cadre: Number(values.cadre) } : undefined;
    const focus = base.form.fields.find((f) => values[f.name] === undefined)?.name;
    const saved = c.req.query('saved');
    // Fixed text: the flag is anyone's to write in a link, so it only picks the message.
    const notice = saved ? '已保存。继续登记下一条。' : c.req.query('deleted') ? '记录已删除。' : undefined;
    return page(c, base, { values, focus, notice, cadreDefault });
  });

  app.post('/unit/forms/:formId', writers, limit, async (c) => {
    const base = await scope(c, true);
    const input = await formInput(c);
    const idempotencyKey = unitIdempotencyKey(c, base.unit.code);
    const ctx = await unitFormContext(deps, base.unit);
    const result = await validateUnitAnswers(deps.db, base.form, input, ctx, base.unit);
    const place = acceptsLocation(base.form.id) ? locationFromForm(input) : { errors: [] };
    const errors = [...(result.ok ? [] : result.errors), ...place.errors];
    if (!result.ok || errors.length) {
      if (wantsJsonAnswer(c)) throw validationFailed(errors, '提交的内容有误');
      return page(c, base, { values: input, errors, status: 422, extra: locationBlock(base.form.id, place.errors.length ? undefined : locationValuesOf(input), errors) });
    }
    const stored = await storeSubmission(deps, {
      form: base.form,
      answers: await withDerived(deps.db, base.form, result.answers),
      personal: result.personal,
      unitCode: base.unit.code,
      source: 'unit',
      formToken: idempotencyKey ? undefined : await checkFormToken(deps, input._token),
      idempotencyKey,
      location: place.location,
    });
    if (wantsJsonAnswer(c)) {
      if (!stored.created) c.header('Idempotent-Replayed', 'true');
      return c.json({ id: stored.id, created: stored.created }, stored.created ? 201 : 200);
    }
    const keep = new URLSearchParams({ saved: String(stored.id) });
    for (const f of base.form.fields) {
      const v = result.answers[f.name];
      if (STICKY_TYPES.has(f.type) && v !== undefined) keep.set(f.name, String(v));
    }
    if (base.unit.code !== base.principal.unitCode) keep.set('unit', base.unit.code);
    return c.redirect(`/unit/forms/${base.form.id}?${keep}`, 303);
  });

  app.post('/unit/forms/:formId/:id', writers, limit, async (c) => {
    const base = await scope(c, true);
    const { record, unit, lists } = await recordIn(base.principal, base.form, base.unit, Number(c.req.param('id')), { lists: true });
    await assertNotHazard(deps.db, record.id);
    const input = await formInput(c);
    const ctx = await unitFormContext(deps, lists);
    const result = await validateUnitAnswers(deps.db, base.form, keepStoredPersonal(base.form, record.personal, input), ctx, lists, record.answers);
    // The re-rendered form shows what was typed, never the stored personal values the editor left empty.
    if (!result.ok) return page(c, { ...base, unit }, { editing: record, values: input, errors: result.errors, status: 422, lists });
    await updateRecord(deps, base.principal, base.form, record, { answers: await withDerived(deps.db, base.form, result.answers), personal: result.personal }, deps.now());
    return c.redirect(`/unit/forms/${base.form.id}?saved=${record.id}&day=${record.day}${unitQuery(base.principal, unit.code, '&')}`, 303);
  });

  app.post('/unit/forms/:formId/:id/delete', writers, async (c) => {
    const base = await scope(c, true);
    const { record, unit } = await recordIn(base.principal, base.form, base.unit, Number(c.req.param('id')));
    await deleteRecord(deps, base.principal, record, deps.now());
    return c.redirect(`/unit/forms/${base.form.id}?deleted=1&day=${record.day}${unitQuery(base.principal, unit.code, '&')}`, 303);
  });

  // ---- API ------------------------------------------------------------------------------------

  const recordJson = (form: FormDefinition, r: UnitRecord, unmasked: boolean) => {
    const personal: Record<string, unknown> = {};
    for (const f of form.fields) if (f.personal && r.personal[f.name] !== undefined) personal[f.name] = unmasked ? r.personal[f.name] : maskPersonal(f.type, r.personal[f.name]);
    // No receipt: a unit's record is not a resident's, and its receipt would open the tipster's feedback to whoever reads it.
    return { id: r.id, unit: r.unitCode, day: r.day, createdAt: new Date(r.createdAt).toISOString(), updatedAt: r.updatedAt ? new Date(r.updatedAt).toISOString() : null, answers: shownAnswers(form, r.answers, unmasked), personal };
  };

  app.post('/api/v1/unit/forms/:formId/submissions', writers, limit, vJson(JSON_OBJECT), async (c) => {
    const base = await scope(c, true);
    const { location, errors: placeErrors, rest: body } = takeLocation(base.form, c.req.valid('json'));
    const result = await validateUnitAnswers(deps.db, base.form, body, { ...(await unitFormContext(deps, base.unit)), unknown: 'reject' }, base.unit);
    if (!result.ok || placeErrors.length) throw validationFailed([...(result.ok ? [] : result.errors), ...placeErrors], '提交的内容有误');
    const key = c.req.header('idempotency-key')?.trim();
    if (key !== undefined && (key.length === 0 || key.length > 200)) throw new AppError(400, 'BAD_IDEMPOTENCY_KEY', 'Idempotency-Key 应为 1–200 个字符');
    const stored = await storeSubmission(deps, {
      form: base.form,
      answers: await withDerived(deps.db, base.form, result.answers),
      personal: result.personal,
      unitCode: base.unit.code,
      source: 'api',
      // Keys are per unit: two units choosing the same key do not see each other's submission.
      idempotencyKey: key ? `unit:${base.unit.code}:${key}` : undefined,
      location,
    });
    return c.json({ id: stored.id }, 201);
  });

  app.get('/api/v1/unit/forms/:formId/submissions', readers, async (c) => {
    const base = await scope(c, false);
    const day = c.req.query('day') ?? shanghaiDay(deps.now());
    if (!isValidDay(day)) throw new AppError(400, 'BAD_REQUEST', 'day 应为 YYYY-MM-DD');
    const records = await recordsOfDay(deps.db, base.form.id, base.unit.code, day);
    return c.json(records.map((r) => recordJson(base.form, r, base.principal.role === 'admin')));
  });

  app.get('/api/v1/unit/forms/:formId/submissions/:id', readers, async (c) => {
    const base = await scope(c, false);
    const { record } = await recordIn(base.principal, base.form, base.unit, Number(c.req.param('id')));
    return c.json(recordJson(base.form, record, base.principal.role === 'admin'));
  });

  app.put('/api/v1/unit/forms/:formId/submissions/:id', writers, limit, vJson(JSON_OBJECT), async (c) => {
    const base = await scope(c, true);
    const { record, lists } = await recordIn(base.principal, base.form, base.unit, Number(c.req.param('id')), { lists: true });
    await assertNotHazard(deps.db, record.id);
    const body = c.req.valid('json');
    // GET gives non-office readers masked personal values: sent back as they were (or left out), they keep the stored ones.
    const result = await validateUnitAnswers(deps.db, base.form, keepStoredPersonal(base.form, record.personal, body), { ...(await unitFormContext(deps, lists)), unknown: 'reject' }, lists, record.answers);
    if (!result.ok) throw validationFailed(result.errors, '提交的内容有误');
    await updateRecord(deps, base.principal, base.form, record, { answers: await withDerived(deps.db, base.form, result.answers), personal: result.personal }, deps.now());
    const updated = await ownRecord(deps.db, base.principal, base.form, record.id);
    return c.json(recordJson(base.form, updated, base.principal.role === 'admin'));
  });

  app.delete('/api/v1/unit/forms/:formId/submissions/:id', writers, async (c) => {
    const base = await scope(c, true);
    const { record } = await recordIn(base.principal, base.form, base.unit, Number(c.req.param('id')));
    await deleteRecord(deps, base.principal, record, deps.now());
    return c.json({ id: record.id, deleted: true });
  });

  return app;
}
