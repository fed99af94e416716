// The rollups' SQL: the triggers that keep them (written into drizzle/0012_rollup_triggers.sql, which a test checks
// against this module) and the rebuild from raw rows. Both take the ranking's rules from the code's own tables.
import { CLOSED_STATES, STATE_IDS, awaitsOffice, isFixed, isOpen } from '../hazards/states.ts';
import { SATISFIED_VALUES } from '../../forms/options.ts';

const list = (xs: readonly string[]) => xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', ');

export const VISIT_FORM = 'household-visit';
export const FEEDBACK_FORMS = ['mass-feedback', 'household-visit'] as const;
export const TASK_FORM = 'task-report';
/** Closed without a fix (merged, not a hazard): not counted as led. */
export const EXCLUDED_HAZARD_STATES: readonly string[] = CLOSED_STATES.filter((s) => !isFixed(s));
/** Open and waiting on the office: past its deadline, the delay is the office's, not the unit's. */
export const WAITING_HAZARD_STATES: readonly string[] = STATE_IDS.filter((s) => isOpen(s) && awaitsOffice(s));

/** A visit row `s` counts (src/visits/checks.ts countedVisit): the first live visit of its household, or cleared. */
const COUNTED = `(s.household_key IS NULL OR s.flags_cleared_at IS NOT NULL OR NOT EXISTS (
    SELECT 1 FROM submissions e WHERE e.household_key = s.household_key AND e.deleted_at IS NULL AND e.id < s.id))`;
const LIVE_VISIT = `s.form_id = '${VISIT_FORM}' AND s.cadre_id IS NOT NULL AND s.deleted_at IS NULL AND ${COUNTED}`;

/**
 * Adds (sign 1) or takes away (-1) the counted visits of the rows whose ids `ids` selects. NOT INDEXED keeps the
 * planner on those rowids: left to itself it walks the visit index by form, one pass over every visit per write.
 */
const visitsOf = (ids: string, sign: 1 | -1) => `INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT s.cadre_id, s.day, ${sign} * count(*) FROM submissions s NOT INDEXED
    WHERE s.id IN (${ids}) AND ${LIVE_VISIT}
    GROUP BY s.cadre_id, s.day
    ON CONFLICT (cadre_id, day) DO UPDATE SET n = n + excluded.n;`;
const household = (r: 'NEW' | 'OLD') => `SELECT id FROM submissions WHERE household_key = ${r}.household_key`;

const ANSWER_COLUMNS = 'unit, day, s_num, s_den, a_num, a_den, p_num, p_den';
/** One row's answers: the expressions of rollup_answers' columns over a row `r` (its unit, its day, six counts), and when it counts. */
const answerValues = (r: string) => [
  `coalesce(${r}.rollup_code, ${r}.unit_code)`,
  `${r}.day`,
  `coalesce(${r}.satisfaction IN (${list(SATISFIED_VALUES)}), 0)`,
  `(${r}.satisfaction IS NOT NULL)`,
  `coalesce(${r}.aware, 0)`,
  `(${r}.aware IS NOT NULL)`,
  `coalesce(${r}.participated, 0)`,
  `(${r}.participated IS NOT NULL)`,
];
const answerCounts = (r: string) =>
  `${r}.form_id IN (${list(FEEDBACK_FORMS)}) AND ${r}.deleted_at IS NULL AND ${r}.unranked = 0 AND coalesce(${r}.rollup_code, ${r}.unit_code) IS NOT NULL`;
const ANSWER_UPSERT = `ON CONFLICT (unit, day) DO UPDATE SET s_num = s_num + excluded.s_num, s_den = s_den + excluded.s_den,
      a_num = a_num + excluded.a_num, a_den = a_den + excluded.a_den, p_num = p_num + excluded.p_num, p_den = p_den + excluded.p_den`;
const answersOf = (r: 'NEW' | 'OLD', sign: 1 | -1) => {
  const [unit, day, ...counts] = answerValues(r);
  const signed = sign === 1 ? counts : counts.map((x) => `-${x}`);
  return `INSERT INTO rollup_answers (${ANSWER_COLUMNS}) SELECT ${[unit, day, ...signed].join(', ')} WHERE ${answerCounts(r)}
    ${ANSWER_UPSERT};`;
};

const taskCounts = (r: string) =>
  `${r}.form_id = '${TASK_FORM}' AND ${r}.task_id IS NOT NULL AND ${r}.deleted_at IS NULL AND coalesce(${r}.rollup_code, ${r}.unit_code) IS NOT NULL`;
const TASK_UPSERT = 'ON CONFLICT (unit, task_id, day) DO UPDATE SET quantity = quantity + excluded.quantity';
const tasksOf = (r: 'NEW' | 'OLD', sign: 1 | -1) => `INSERT INTO rollup_task_reports (unit, task_id, day, quantity)
    SELECT coalesce(${r}.rollup_code, ${r}.unit_code), ${r}.task_id, ${r}.day, ${sign} * coalesce(${r}.quantity, 0) WHERE ${taskCounts(r)}
    ${TASK_UPSERT};`;

const hazardKey = (r: string) =>
  `${r}.lead_unit_code, ${r}.day, coalesce(${r}.deadline, ''), coalesce(${r}.closed_day, ''), ` +
  `CASE WHEN ${r}.closed_day IS NULL THEN 0 ELSE coalesce(${r}.closed_on_time, ${r}.deadline IS NULL OR ${r}.closed_day <= ${r}.deadline) END, ` +
  `${r}.state IN (${list(WAITING_HAZARD_STATES)})`;
const hazardCounts = (r: string) => `${r}.lead_unit_code IS NOT NULL AND ${r}.duplicate_of IS NULL AND ${r}.state NOT IN (${list(EXCLUDED_HAZARD_STATES)})`;
const HAZARD_UPSERT = 'ON CONFLICT (unit, day, deadline, closed_day, on_time, waiting) DO UPDATE SET n = n + excluded.n';
const hazardsOf = (r: 'NEW' | 'OLD', sign: 1 | -1) => `INSERT INTO rollup_hazards (unit, day, deadline, closed_day, on_time, waiting, n)
    SELECT ${hazardKey(r)}, ${sign} WHERE ${hazardCounts(r)}
    ${HAZARD_UPSERT};`;
/** A hazard that moved leaves its old key at 0: such rows go, so the table stays as small as the rebuilt one. */
const HAZARD_EMPTIED = 'DELETE FROM rollup_hazards WHERE unit = OLD.lead_unit_code AND day = OLD.day AND n = 0;';

const VISIT_COLUMNS = 'form_id, cadre_id, day, deleted_at, household_key, flags_cleared_at';
const ANSWER_SOURCE_COLUMNS = 'form_id, unit_code, rollup_code, day, deleted_at, unranked, satisfaction, aware, participated';
const TASK_SOURCE_COLUMNS = 'form_id, unit_code, rollup_code, day, deleted_at, task_id, quantity';
const HAZARD_SOURCE_COLUMNS = 'lead_unit_code, day, deadline, closed_day, closed_on_time, state, duplicate_of';
const visitish = (r: 'NEW' | 'OLD') => `${r}.form_id = '${VISIT_FORM}' OR ${r}.household_key IS NOT NULL`;

const trigger = (name: string, when: string, on: string, cond: string | null, body: string[]) =>
  `CREATE TRIGGER ${name} ${when} ON ${on}${cond ? ` WHEN ${cond}` : ''} BEGIN\n  ${body.join('\n  ')}\nEND;`;

/**
 * The triggers. A visit counts only as the first live visit of its household, so a change to one row can move
 * another's count: the visit triggers take away the whole household's counted visits before the change and add
 * them back after it (households are a handful of rows, found by index). Everything else is a row's own figures:
 * the old row's taken away, the new row's added.
 */
export const ROLLUP_TRIGGERS: readonly string[] = [
  trigger('rollup_visits_bi', 'BEFORE INSERT', 'submissions', 'NEW.household_key IS NOT NULL', [visitsOf(household('NEW'), -1)]),
  trigger('rollup_visits_ai', 'AFTER INSERT', 'submissions', visitish('NEW'), [visitsOf(`SELECT NEW.id UNION ${household('NEW')}`, 1)]),
  trigger('rollup_visits_bu', `BEFORE UPDATE OF ${VISIT_COLUMNS}`, 'submissions', `${visitish('OLD')} OR ${visitish('NEW')}`, [
    visitsOf(`SELECT OLD.id UNION ${household('OLD')} UNION ${household('NEW')}`, -1),
  ]),
  trigger('rollup_visits_au', `AFTER UPDATE OF ${VISIT_COLUMNS}`, 'submissions', `${visitish('OLD')} OR ${visitish('NEW')}`, [
    visitsOf(`SELECT NEW.id UNION ${household('OLD')} UNION ${household('NEW')}`, 1),
  ]),
  trigger('rollup_visits_bd', 'BEFORE DELETE', 'submissions', visitish('OLD'), [visitsOf(`SELECT OLD.id UNION ${household('OLD')}`, -1)]),
  trigger('rollup_visits_ad', 'AFTER DELETE', 'submissions', 'OLD.household_key IS NOT NULL', [visitsOf(household('OLD'), 1)]),

  trigger('rollup_answers_ai', 'AFTER INSERT', 'submissions', answerCounts('NEW'), [answersOf('NEW', 1)]),
  trigger('rollup_answers_au', `AFTER UPDATE OF ${ANSWER_SOURCE_COLUMNS}`, 'submissions', null, [answersOf('OLD', -1), answersOf('NEW', 1)]),
  trigger('rollup_answers_ad', 'AFTER DELETE', 'submissions', answerCounts('OLD'), [answersOf('OLD', -1)]),

  trigger('rollup_tasks_ai', 'AFTER INSERT', 'submissions', taskCounts('NEW'), [tasksOf('NEW', 1)]),
  trigger('rollup_tasks_au', `AFTER UPDATE OF ${TASK_SOURCE_COLUMNS}`, 'submissions', null, [tasksOf('OLD', -1), tasksOf('NEW', 1)]),
  trigger('rollup_tasks_ad', 'AFTER DELETE', 'submissions', taskCounts('OLD'), [tasksOf('OLD', -1)]),

  trigger('rollup_hazards_ai', 'AFTER INSERT', 'hazards', hazardCounts('NEW'), [hazardsOf('NEW', 1)]),
  trigger('rollup_hazards_au', `AFTER UPDATE OF ${HAZARD_SOURCE_COLUMNS}`, 'hazards', null, [hazardsOf('OLD', -1), hazardsOf('NEW', 1), HAZARD_EMPTIED]),
  trigger('rollup_hazards_ad', 'AFTER DELETE', 'hazards', hazardCounts('OLD'), [hazardsOf('OLD', -1), HAZARD_EMPTIED]),
];

export const ROLLUP_TABLES = ['rollup_visits', 'rollup_answers', 'rollup_task_reports', 'rollup_hazards'] as const;

/** Every rollup recomputed from the raw rows: the tables emptied, then one GROUP BY each (covering indexes). */
export const REBUILD_STATEMENTS: readonly string[] = [
  ...ROLLUP_TABLES.map((t) => `DELETE FROM ${t};`),
  `INSERT INTO rollup_visits (cadre_id, day, n)
    SELECT s.cadre_id, s.day, count(*) FROM submissions s WHERE ${LIVE_VISIT} GROUP BY s.cadre_id, s.day;`,
  `INSERT INTO rollup_answers (${ANSWER_COLUMNS})
    SELECT coalesce(s.rollup_code, s.unit_code), s.day, sum(coalesce(s.satisfaction IN (${list(SATISFIED_VALUES)}), 0)), count(s.satisfaction),
      sum(coalesce(s.aware, 0)), count(s.aware), sum(coalesce(s.participated, 0)), count(s.participated)
    FROM submissions s WHERE ${answerCounts('s')} GROUP BY 1, 2;`,
  `INSERT INTO rollup_task_reports (unit, task_id, day, quantity)
    SELECT coalesce(s.rollup_code, s.unit_code), s.task_id, s.day, sum(coalesce(s.quantity, 0)) FROM submissions s WHERE ${taskCounts('s')} GROUP BY 1, 2, 3;`,
  `INSERT INTO rollup_hazards (unit, day, deadline, closed_day, on_time, waiting, n)
    SELECT ${hazardKey('h')}, count(*) FROM hazards h WHERE ${hazardCounts('h')} GROUP BY 1, 2, 3, 4, 5, 6;`,
];

/** drizzle/0012_rollup_triggers.sql as it must read: the triggers, then the rollups filled from what is already stored. */
export function rollupMigrationSql(): string {
  return [...ROLLUP_TRIGGERS, ...REBUILD_STATEMENTS.filter((s) => !s.startsWith('DELETE'))].join('\n--> statement-breakpoint\n') + '\n';
}
