// Daily rollups of the ranking's inputs, kept by SQLite triggers (drizzle/0011_rollups.sql) in the same statement as the
// change to submissions or hazards, so the nightly snapshot sums day rows instead of reading the campaign's raw rows.
import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Counted household visits (src/visits/checks.ts countedVisit) per cadre and day. */
export const rollupVisits = sqliteTable(
  'rollup_visits',
  {
    cadreId: integer('cadre_id').notNull(),
    day: text('day').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.cadreId, t.day] })],
);

/** Resident answers (feedback and visits, ranked ones) per attributed rollup unit and day: each question's yes-count and answer count. */
export const rollupAnswers = sqliteTable(
  'rollup_answers',
  {
    unit: text('unit').notNull(),
    day: text('day').notNull(),
    sNum: integer('s_num').notNull(),
    sDen: integer('s_den').notNull(),
    aNum: integer('a_num').notNull(),
    aDen: integer('a_den').notNull(),
    pNum: integer('p_num').notNull(),
    pDen: integer('p_den').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unit, t.day] })],
);

/** Typed task reports: the quantity per attributed rollup unit, task and day. */
export const rollupTaskReports = sqliteTable(
  'rollup_task_reports',
  {
    unit: text('unit').notNull(),
    taskId: text('task_id').notNull(),
    day: text('day').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unit, t.taskId, t.day] })],
);

/**
 * Counted hazards (not merged, not "not a hazard") per lead unit and reporting day, keyed further by the days that
 * make a hazard's figures depend on the snapshot's day: its deadline and its close day ('' for none), whether it
 * closed on time and whether it now waits on the office. "Closed by D" and "open past its deadline as of D" are
 * then sums over these rows.
 */
export const rollupHazards = sqliteTable(
  'rollup_hazards',
  {
    unit: text('unit').notNull(),
    day: text('day').notNull(),
    deadline: text('deadline').notNull(),
    closedDay: text('closed_day').notNull(),
    onTime: integer('on_time').notNull(),
    waiting: integer('waiting').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.unit, t.day, t.deadline, t.closedDay, t.onTime, t.waiting] })],
);
