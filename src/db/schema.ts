// The campaign's data model. The database is the single source of truth; the sheet is a projection of it.
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const UNIT_KINDS = ['office', 'town', 'subdistrict', 'village', 'community', 'department', 'station'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const CADRE_ROLES = ['district_leader', 'unit_leader', 'cadre'] as const;
export type CadreRole = (typeof CADRE_ROLES)[number];

export const ACCESS_ROLES = ['admin', 'unit', 'leader'] as const;
export type AccessRole = (typeof ACCESS_ROLES)[number];

const createdAt = () => integer('created_at', { mode: 'number' }).notNull();

export const units = sqliteTable(
  'units',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    kind: text('kind', { enum: UNIT_KINDS }).notNull(),
    parentCode: text('parent_code'),
    population: integer('population'),
    /** An inactive unit keeps its records but leaves pickers, rankings, posters and sign-in: units are never deleted. */
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [index('units_parent_idx').on(t.parentCode), index('units_kind_idx').on(t.kind)],
);

export const cadres = sqliteTable(
  'cadres',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    unitCode: text('unit_code').notNull().references(() => units.code),
    name: text('name').notNull(),
    post: text('post').notNull().default(''),
    role: text('role', { enum: CADRE_ROLES }).notNull(),
    /** The village or community the cadre is assigned to (包抓). */
    assignedCode: text('assigned_code').references(() => units.code),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [index('cadres_unit_idx').on(t.unitCode, t.active)],
);

/**
 * Every form answer, public or from a unit. Answers that the ranking aggregates are also
 * extracted into typed columns at insert time so the daily snapshot is a few indexed GROUP BYs.
 */
export const submissions = sqliteTable(
  'submissions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    formId: text('form_id').notNull(),
    formVersion: integer('form_version').notNull(),
    /** The unit the answer is attributed to (?u= on public forms, the signed-in unit otherwise). */
    unitCode: text('unit_code'),
    /** The town/sub-district or department the unit belongs to, so rankings group without recursion. */
    rollupCode: text('rollup_code'),
    source: text('source', { enum: ['public', 'unit', 'api'] }).notNull(),
    createdAt: createdAt(),
    /** Asia/Shanghai calendar day of createdAt, YYYY-MM-DD. */
    day: text('day').notNull(),
    /** Answers without personal data, JSON. */
    payload: text('payload').notNull(),
    receipt: text('receipt').notNull(),
    idempotencyKey: text('idempotency_key'),
    /** Hash of the request body an idempotency key was first used with. */
    requestHash: text('request_hash'),
    cadreId: integer('cadre_id'),
    satisfaction: text('satisfaction'),
    aware: integer('aware', { mode: 'boolean' }),
    participated: integer('participated', { mode: 'boolean' }),
    taskId: text('task_id'),
    quantity: integer('quantity'),
    updatedAt: integer('updated_at', { mode: 'number' }),
    deletedAt: integer('deleted_at', { mode: 'number' }),
    /** HMAC (SESSION_SECRET) of an anonymous answer's client address, never the address itself; null for staff answers. */
    addressKey: text('address_key'),
    /** Beyond the daily allowance from one address for one unit: kept, flagged for the office, left out of rankings until accepted. */
    unranked: integer('unranked', { mode: 'boolean' }).notNull().default(false),
    /** A visit's household (HMAC of campaign, village, normalised head's name and address): repeats count once (src/visits/). */
    householdKey: text('household_key'),
    /** Set at insert: the household was visited before in the campaign; the visit outside the cadre's 包抓 village. */
    repeatVisit: integer('repeat_visit', { mode: 'boolean' }).notNull().default(false),
    outsideAssignment: integer('outside_assignment', { mode: 'boolean' }).notNull().default(false),
    /** The office looked at the visit's flags and cleared them; a cleared repeat counts again. */
    flagsClearedAt: integer('flags_cleared_at', { mode: 'number' }),
  },
  (t) => [
    uniqueIndex('submissions_receipt_idx').on(t.receipt),
    index('submissions_address_unit_day_idx').on(t.addressKey, t.unitCode, t.day),
    uniqueIndex('submissions_idempotency_idx').on(t.idempotencyKey),
    index('submissions_form_unit_day_idx').on(t.formId, t.unitCode, t.day),
    index('submissions_form_rollup_day_idx').on(t.formId, t.rollupCode, t.day),
    index('submissions_cadre_day_idx').on(t.cadreId, t.day),
    index('submissions_household_idx').on(t.householdKey),
    // Covering indexes for what still reads raw rows (rollups --rebuild, the visits tab, the physical reference of
    // the rankings bench): the figures come from the index alone, never the wide rows with their payload.
    index('submissions_visit_cover_idx').on(t.formId, t.cadreId, t.day, t.deletedAt, t.householdKey, t.flagsClearedAt),
    index('submissions_household_live_idx').on(t.householdKey, t.deletedAt),
    index('submissions_answer_cover_idx').on(t.formId, t.day, t.deletedAt, t.unranked, t.rollupCode, t.unitCode, t.satisfaction, t.aware, t.participated),
    index('submissions_task_cover_idx').on(t.formId, t.day, t.deletedAt, t.taskId, t.rollupCode, t.unitCode, t.quantity),
  ],
);

/** Personal data (names, phones, addresses, tipster contact) kept apart from the payload. */
export const submissionPersonal = sqliteTable('submission_personal', {
  submissionId: integer('submission_id')
    .primaryKey()
    .references(() => submissions.id, { onDelete: 'cascade' }),
  data: text('data').notNull(),
});

/** Who changed or deleted a unit's record, when, and what it was before and after. */
export const submissionAudit = sqliteTable(
  'submission_audit',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submissionId: integer('submission_id').notNull(),
    actor: text('actor').notNull(),
    action: text('action', { enum: ['update', 'delete'] }).notNull(),
    at: integer('at', { mode: 'number' }).notNull(),
    before: text('before'),
    after: text('after'),
  },
  (t) => [index('submission_audit_submission_idx').on(t.submissionId)],
);

export const SUGGESTION_REPLY_STATUSES = ['received', 'in_progress', 'answered'] as const;
export type SuggestionReplyStatus = (typeof SUGGESTION_REPLY_STATUSES)[number];

/** The office's steps on a deputy's suggestion (R9); note is the public answer the deputy reads by receipt. */
export const suggestionReplies = sqliteTable(
  'suggestion_replies',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    submissionId: integer('submission_id')
      .notNull()
      .references(() => submissions.id, { onDelete: 'cascade' }),
    status: text('status', { enum: SUGGESTION_REPLY_STATUSES }).notNull(),
    note: text('note'),
    /** The unit whose access code answered (the office). */
    unitCode: text('unit_code').notNull(),
    at: integer('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('suggestion_replies_submission_idx').on(t.submissionId, t.at)],
);

/** One-time tokens embedded in a rendered form so a double tap stores one submission. */
export const formTokens = sqliteTable('form_tokens', {
  token: text('token').primaryKey(),
  createdAt: createdAt(),
  submissionId: integer('submission_id'),
});

export const accessCodes = sqliteTable(
  'access_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** SHA-256 of the code; the code itself is shown once and never stored. */
    codeHash: text('code_hash').notNull(),
    role: text('role', { enum: ACCESS_ROLES }).notNull(),
    unitCode: text('unit_code').notNull().references(() => units.code),
    label: text('label').notNull().default(''),
    createdAt: createdAt(),
    revokedAt: integer('revoked_at', { mode: 'number' }),
    lastUsedAt: integer('last_used_at', { mode: 'number' }),
  },
  (t) => [uniqueIndex('access_codes_hash_idx').on(t.codeHash), index('access_codes_unit_idx').on(t.unitCode)],
);

/** Signed-in browsers: the cookie holds a random id, only its hash is here; deleting the row signs the browser out. */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    codeId: integer('code_id')
      .notNull()
      .references(() => accessCodes.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    lastSeenAt: integer('last_seen_at', { mode: 'number' }).notNull(),
    /** The absolute end; inactivity ends a session sooner. */
    expiresAt: integer('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('sessions_code_idx').on(t.codeId)],
);

/** Failed sign-in attempts per client, to slow down guessing. */
export const signInFailures = sqliteTable('sign_in_failures', {
  client: text('client').primaryKey(),
  failures: integer('failures').notNull(),
  lastAt: integer('last_at', { mode: 'number' }).notNull(),
});

export const hazards = sqliteTable(
  'hazards',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** Readable number, YH-YYYYMMDD-NNNN. */
    number: text('number').notNull(),
    source: text('source', { enum: ['tip', 'ledger'] }).notNull(),
    submissionId: integer('submission_id'),
    category: text('category').notNull(),
    place: text('place').notNull(),
    description: text('description').notNull().default(''),
    /** Where it was reported from (the ?u= unit of a tip, the unit of a ledger row). */
    reportedUnitCode: text('reported_unit_code'),
    leadUnitCode: text('lead_unit_code'),
    state: text('state').notNull(),
    deadline: text('deadline'),
    deadlineKind: text('deadline_kind', { enum: ['calendar', 'working'] }),
    overdue: integer('overdue', { mode: 'boolean' }).notNull().default(false),
    remindedAt: integer('reminded_at', { mode: 'number' }),
    closedAt: integer('closed_at', { mode: 'number' }),
    /** Asia/Shanghai day of closedAt. */
    closedDay: text('closed_day'),
    closedOnTime: integer('closed_on_time', { mode: 'boolean' }),
    duplicateOf: integer('duplicate_of'),
    reportCount: integer('report_count').notNull().default(1),
    createdAt: createdAt(),
    day: text('day').notNull(),
    updatedAt: integer('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('hazards_number_idx').on(t.number),
    index('hazards_lead_state_idx').on(t.leadUnitCode, t.state),
    index('hazards_state_deadline_idx').on(t.state, t.deadline),
    index('hazards_place_idx').on(t.category, t.day),
    // A submission's hooks find its hazard by the submission inside the same batch (src/hazards/location-store.ts).
    index('hazards_submission_idx').on(t.submissionId),
  ],
);

export const hazardCoUnits = sqliteTable(
  'hazard_co_units',
  {
    hazardId: integer('hazard_id')
      .notNull()
      .references(() => hazards.id, { onDelete: 'cascade' }),
    unitCode: text('unit_code').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hazardId, t.unitCode] }), index('hazard_co_units_unit_idx').on(t.unitCode)],
);

export const hazardEvents = sqliteTable(
  'hazard_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    hazardId: integer('hazard_id')
      .notNull()
      .references(() => hazards.id, { onDelete: 'cascade' }),
    at: integer('at', { mode: 'number' }).notNull(),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorRole: text('actor_role').notNull(),
    actorUnitCode: text('actor_unit_code'),
    note: text('note'),
    /** JSON: {photo?: key, ...}; internal. */
    data: text('data'),
  },
  (t) => [index('hazard_events_hazard_idx').on(t.hazardId, t.at)],
);

export const rankingSnapshots = sqliteTable(
  'ranking_snapshots',
  {
    /** The campaign the day was ranked for; 0 until the first campaign is stored, which then takes them over. */
    campaignId: integer('campaign_id').notNull().default(0),
    day: text('day').notNull(),
    unitCode: text('unit_code').notNull(),
    grp: text('grp', { enum: ['towns', 'departments'] }).notNull(),
    score: integer('score_x100').notNull(),
    rank: integer('rank').notNull(),
    /** JSON: {V:{num,den,value}|null, H:…, …}. */
    metrics: text('metrics').notNull(),
    computedAt: integer('computed_at', { mode: 'number' }).notNull(),
    /** JSON {V:…, H:…}: the weights this row was scored with; a later edit of the weights leaves it as it was. */
    weights: text('weights'),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.day, t.unitCode] }),
    index('ranking_snapshots_grp_idx').on(t.campaignId, t.day, t.grp, t.rank),
  ],
);

/** Sheet mirror jobs, committed in the same transaction as the change that makes a tab stale. */
export const sheetOutbox = sqliteTable(
  'sheet_outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tab: text('tab').notNull(),
    createdAt: createdAt(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at', { mode: 'number' }).notNull().default(0),
    lastError: text('last_error'),
  },
  (t) => [index('sheet_outbox_tab_idx').on(t.tab), index('sheet_outbox_next_idx').on(t.nextAttemptAt)],
);

/** Small key/value state: last sheet sync, last error, scheduled job progress. */
export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
  updatedAt: integer('updated_at', { mode: 'number' })
    .notNull()
    .default(sql`(unixepoch() * 1000)`),
});

export * from './schema/settings.ts';
export * from './schema/notifications.ts';
export * from './schema/handins.ts';
export * from './schema/workflow.ts';
export * from './schema/rollups.ts';
export * from './schema/locations.ts';
