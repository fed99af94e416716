// A unit's records of one form as a table for export: people's words (labels, names), personal data
// masked unless the reader is the office, and text a spreadsheet would run as a formula neutralised.
import { and, asc, eq, isNull, between, or } from 'drizzle-orm';
import type { Db } from '../../db/index.ts';
import { submissionPersonal, submissions } from '../../db/schema.ts';
import type { FormContext } from '../../forms/context.ts';
import { neutraliseFormula, shownAnswer } from '../../forms/personal.ts';
import type { Answers, FormDefinition } from '../../forms/types.ts';
import { formatShanghai } from '../../lib/time.ts';
import { listCadres, placesFor, type UnitInfo } from '../roster/roster.ts';
import { tasksOf } from '../dashboard.ts';
import { currentCampaign } from '../../campaign/store.ts';
import { formVersionsFor } from '../../forms/store.ts';
import { patrolFlagText, PATROL_FORM_ID } from '../derived.ts';

/** Enough for a whole campaign of one unit; a bound so one request cannot build an unbounded file. */
export const MAX_EXPORT_ROWS = 50_000;

export type Cell = string | number;

export interface ExportTable {
  title: string;
  headers: string[];
  rows: Cell[][];
}

async function exportContext(db: Db, unit: UnitInfo): Promise<FormContext> {
  const [cadres, places, campaign] = await Promise.all([listCadres(db, unit.code), placesFor(db, unit), currentCampaign(db)]);
  return {
    campaign: campaign.settings,
    cadres: cadres.map((c) => ({ id: c.id, name: c.name })),
    places: places.map((p) => ({ code: p.code, name: p.name })),
    tasks: tasksOf(unit, campaign.settings.tasks).map((t) => ({ id: t.id, title: t.title })),
  };
}

/** Strings are neutralised; whole numbers stay numbers so sums work in Excel. */
function cell(value: string | number): Cell {
  return typeof value === 'number' ? value : neutraliseFormula(value);
}

/** A unit's entries recorded during one campaign (`window`: the current one's unless given). */
export async function exportTable(
  db: Db,
  form: FormDefinition,
  unit: UnitInfo,
  opts: { unmasked: boolean; window?: { startDate: string; endDate: string } },
): Promise<ExportTable> {
  const window = opts.window ?? (await currentCampaign(db)).settings;
  const [ctx, records] = await Promise.all([
    exportContext(db, unit),
    db
      .select({ s: submissions, personal: submissionPersonal.data })
      .from(submissions)
      .leftJoin(submissionPersonal, eq(submissionPersonal.submissionId, submissions.id))
      .where(
        and(
          eq(submissions.formId, form.id),
          or(eq(submissions.unitCode, unit.code), eq(submissions.rollupCode, unit.code)),
          isNull(submissions.deletedAt),
          between(submissions.day, window.startDate, window.endDate),
        ),
      )
      .orderBy(asc(submissions.id))
      .limit(MAX_EXPORT_ROWS),
  ]);
  const isPatrol = form.id === PATROL_FORM_ID;
  // Each row shows its answers with the labels and options of the version it was answered under.
  const versions = await formVersionsFor(db, form, records.map(({ s }) => s.formVersion));
  const headers = ['编号', '单位', '登记时间', ...form.fields.map((f) => (f.personal && !opts.unmasked ? `${f.label}（已脱敏）` : f.label))];
  if (isPatrol) headers.push('人数要求');
  headers.push('最后修改');
  const rows = records.map(({ s, personal }) => {
    const answers = JSON.parse(s.payload) as Answers;
    const personalAnswers = personal ? (JSON.parse(personal) as Answers) : {};
    const out: Cell[] = [s.id, cell(unit.name), formatShanghai(s.createdAt)];
    const own = versions.get(s.formVersion);
    for (const current of form.fields) {
      const f = own?.fields.find((g) => g.name === current.name) ?? current;
      if (f.personal) {
        const v = personalAnswers[f.name];
        out.push(cell(shownAnswer(f, v, ctx, opts.unmasked)));
        continue;
      }
      const v = answers[f.name];
      out.push(f.type === 'integer' && typeof v === 'number' ? v : cell(shownAnswer(f, v, ctx, opts.unmasked)));
    }
    if (isPatrol) out.push(patrolFlagText(answers) || '符合');
    out.push(s.updatedAt ? formatShanghai(s.updatedAt) : '');
    return out;
  });
  return { title: form.title, headers, rows };
}
