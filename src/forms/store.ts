// The forms in the database: the current version of each (cached per isolate behind a one-statement version
// check), any earlier version a submission was answered under, publishing an edit as the next version, and
// the history. A form with nothing stored is read from the template in forms/.
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import { formVersions, storedForms } from '../db/schema.ts';
import { AppError, type FieldError } from '../lib/errors.ts';
import type { FormDefinition } from './types.ts';
import TEMPLATE_FORMS from '../../forms/index.ts';
import { editProblems } from './edits.ts';
import { perRequest, trustedForWrite } from '../core/request-memo.ts';

export { TEMPLATE_FORMS };

interface Cached {
  /** form id → version, as a JSON object: the statement's parameter that tells which rows are fresh. */
  versions: string;
  forms: readonly FormDefinition[];
}

/** Per database handle (one per isolate on Workers): the forms last read and their versions. */
const cache = new WeakMap<Db, Cached>();
/** Per database handle: earlier versions, which never change once published. */
const earlier = new WeakMap<Db, Map<string, FormDefinition>>();

const templateById = new Map(TEMPLATE_FORMS.map((f) => [f.id, f]));

/** The template's order first (the order people see forms listed in), then any other stored form. */
function ordered(list: FormDefinition[]): FormDefinition[] {
  const rank = (id: string) => TEMPLATE_FORMS.findIndex((f) => f.id === id);
  return list.sort((a, b) => (rank(a.id) === -1 ? 1e9 : rank(a.id)) - (rank(b.id) === -1 ? 1e9 : rank(b.id)) || a.id.localeCompare(b.id));
}

/**
 * Every form, current version. One statement per call: a row's definition comes back only when the cached
 * version of that form is stale, so a version published by another isolate, the CLI or another server is
 * seen by the next request.
 */
export function formsOf(db: Db): Promise<readonly FormDefinition[]> {
  const known = cache.get(db);
  if (known && trustedForWrite(checkedAt.get(db))) return Promise.resolve(known.forms);
  return perRequest('forms', () => readForms(db));
}

/** When this isolate last checked its forms against the database (Date.now()). */
const checkedAt = new WeakMap<Db, number>();

async function readForms(db: Db): Promise<readonly FormDefinition[]> {
  const known = cache.get(db);
  const started = Date.now();
  const rows = await db.all<{ id: string; version: number; definition: string | null }>(
    sql`SELECT id, version, CASE WHEN version = json_extract(${known?.versions ?? '{}'}, '$."' || id || '"') THEN NULL ELSE definition END AS definition
        FROM forms`,
  );
  const stale = rows.some((r) => r.definition !== null);
  if (known && !stale && rows.length === Object.keys(JSON.parse(known.versions)).length) {
    checkedAt.set(db, started);
    return known.forms;
  }
  const byId = new Map(TEMPLATE_FORMS.map((f) => [f.id, f]));
  const previous = new Map((known?.forms ?? []).map((f) => [f.id, f]));
  const versions: Record<string, number> = {};
  for (const r of rows) {
    const def = r.definition !== null ? (JSON.parse(r.definition) as FormDefinition) : previous.get(r.id);
    if (!def) continue;
    byId.set(r.id, def);
    versions[r.id] = Number(r.version);
  }
  const fresh = { versions: JSON.stringify(versions), forms: ordered([...byId.values()]) };
  cache.set(db, fresh);
  checkedAt.set(db, started);
  return fresh.forms;
}

/** The forms last read through this handle (the template before any read), for pages during an outage. */
export function lastKnownForms(db: Db): readonly FormDefinition[] {
  return cache.get(db)?.forms ?? TEMPLATE_FORMS;
}

/**
 * Version `version` of a form when this isolate already holds it, without a statement: a form post names the
 * version its page showed, so the write keeps its statements to itself (an outage fails it as a whole and the
 * page comes back with every answer) and the answers are checked against the questions the person saw.
 */
export function heldForm(db: Db, id: string, version: number): FormDefinition | undefined {
  const current = cache.get(db)?.forms.find((f) => f.id === id);
  if (current?.version === version) return current;
  return earlier.get(db)?.get(`${id}@${version}`);
}

/**
 * One form: the current version, or `version` — the one a submission was answered under. Null when the form
 * or that version does not exist.
 */
export async function formById(db: Db, id: string, version?: number): Promise<FormDefinition | null> {
  const current = (await formsOf(db)).find((f) => f.id === id);
  if (version === undefined || current?.version === version) return current ?? null;
  return formVersion(db, id, version);
}

/** An earlier version of a form (cached for good: a published version never changes). */
export async function formVersion(db: Db, id: string, version: number): Promise<FormDefinition | null> {
  let map = earlier.get(db);
  if (!map) earlier.set(db, (map = new Map()));
  const key = `${id}@${version}`;
  const hit = map.get(key);
  if (hit) return hit;
  const [row] = await db
    .select({ definition: formVersions.definition })
    .from(formVersions)
    .where(and(eq(formVersions.formId, id), eq(formVersions.version, version)));
  const template = templateById.get(id);
  const found = row ? (JSON.parse(row.definition) as FormDefinition) : template?.version === version ? template : null;
  if (found) map.set(key, found);
  return found;
}

/**
 * The definitions a list of submissions was answered under, by version, for pages, exports and the sheet that
 * show old answers with their own labels; a version not found falls back to the current one.
 */
export async function formVersionsFor(db: Db, current: FormDefinition, versions: Iterable<number>): Promise<Map<number, FormDefinition>> {
  const out = new Map<number, FormDefinition>([[current.version, current]]);
  // The older versions are read together: one round trip however many there are.
  const older = [...new Set(versions)].filter((v) => v !== current.version);
  const read = await Promise.all(older.map((v) => formVersion(db, current.id, v)));
  older.forEach((v, i) => out.set(v, read[i] ?? current));
  return out;
}

export interface FormVersionSummary {
  version: number;
  savedAt: string;
  savedBy: string;
  note: string;
}

/** A form's published versions, newest first; the template alone (version 1, 模板) while nothing is stored. */
export async function listFormVersions(db: Db, id: string): Promise<FormVersionSummary[]> {
  const rows = await db.select().from(formVersions).where(eq(formVersions.formId, id)).orderBy(asc(formVersions.version));
  const list = rows.map((r) => ({ version: r.version, savedAt: new Date(r.savedAt).toISOString(), savedBy: r.savedBy, note: r.note }));
  const template = templateById.get(id);
  if (list.length === 0 && template) list.push({ version: template.version, savedAt: '', savedBy: 'forms/', note: '模板' });
  return list.reverse();
}

const TEMPLATE_NOTE = '模板（forms/）';

/** Stores the template of every form that has no row yet (seeding); existing forms are kept. */
export async function ensureForms(db: Db, at: number, by: string): Promise<void> {
  const statements = TEMPLATE_FORMS.flatMap((f) => [
    db.insert(storedForms).values({ id: f.id, version: f.version, definition: JSON.stringify(f), updatedAt: at, updatedBy: by }).onConflictDoNothing(),
    db.insert(formVersions).values({ formId: f.id, version: f.version, definition: JSON.stringify(f), note: TEMPLATE_NOTE, savedAt: at, savedBy: by }).onConflictDoNothing(),
  ]);
  await db.batch(statements as [(typeof statements)[number], ...(typeof statements)[number][]]);
}

export type PublishResult = { ok: true; form: FormDefinition } | { ok: false; errors: FieldError[] };

/** Which option values of a form's choice fields have answers (so they may be hidden but never deleted). */
export async function answeredOptions(db: Db, formId: string): Promise<Map<string, Set<string>>> {
  const rows = await db.all<{ name: string; value: string }>(
    sql`SELECT DISTINCT j.key AS name, CASE WHEN j.type = 'array' THEN e.value ELSE j.value END AS value
        FROM submissions s, json_each(s.payload) j LEFT JOIN json_each(CASE WHEN j.type = 'array' THEN j.value ELSE '[]' END) e
        WHERE s.form_id = ${formId} AND s.deleted_at IS NULL AND j.type IN ('text', 'array')`,
  );
  const out = new Map<string, Set<string>>();
  for (const r of rows) {
    if (r.value === null) continue;
    if (!out.has(r.name)) out.set(r.name, new Set());
    out.get(r.name)!.add(String(r.value));
  }
  return out;
}

/**
 * Publishes `definition` as the next version of form `id`: the engine's checks and the edit guards
 * (src/forms/edits.ts) first, field by field; then one batch — the guarded row update and its copy in
 * form_versions. `expectedVersion` refuses a publish that someone else's has overtaken (409).
 */
export async function publishForm(
  db: Db,
  id: string,
  definition: unknown,
  opts: { at: number; by: string; note: string; expectedVersion?: number },
): Promise<PublishResult> {
  const current = await formById(db, id);
  if (!current) throw new AppError(404, 'NOT_FOUND', `找不到表单“${id.slice(0, 40)}”`);
  if (opts.expectedVersion !== undefined && opts.expectedVersion !== current.version) throw staleEdit(current.version);
  const answered = await answeredOptions(db, id);
  const checked = editProblems(current, definition, answered);
  if (!checked.ok) return checked;
  const next: FormDefinition = { ...checked.form, id, version: current.version + 1 };
  const json = JSON.stringify(next);
  const existing = await db.select({ version: storedForms.version }).from(storedForms).where(eq(storedForms.id, id));
  if (existing.length === 0) {
    // Nothing stored yet: the template becomes version 1 of the history, then the edit is published on top.
    await ensureForms(db, opts.at, 'forms/');
  }
  const [updated] = await db.batch([
    db
      .update(storedForms)
      .set({ version: next.version, definition: json, updatedAt: opts.at, updatedBy: opts.by })
      .where(and(eq(storedForms.id, id), eq(storedForms.version, current.version))),
    db.run(sql`INSERT INTO form_versions (form_id, version, definition, note, saved_at, saved_by)
                SELECT id, version, definition, ${opts.note}, updated_at, updated_by FROM forms WHERE id = ${id} AND version = ${next.version} AND updated_at = ${opts.at}
                ON CONFLICT DO NOTHING`),
  ]);
  if (updated.rowsAffected === 0) throw staleEdit(current.version);
  // This isolate's next read, write or page, sees the new version at once.
  cache.delete(db);
  return { ok: true, form: next };
}

const staleEdit = (version: number) => new AppError(409, 'STALE_EDIT', '表单已被他人修改并发布，请刷新页面，在最新版本上重新修改', { version });
