// Turns a hazard-tip or hazard-ledger submission into a hazard record, inside the submission's own
// transaction, so a stored tip always has its hazard (and a failed hazard stores no tip).
import type { SQL } from 'drizzle-orm';
import type { Db } from '../db/index.ts';
import type { StmtBuilder } from '../db/batch.ts';
import type { CampaignSettings } from '../campaign/settings.ts';
import { isValidDay, shanghaiDay } from '../lib/time.ts';
import { hazardDeadlineDefaults } from '../campaign/store.ts';
import { deadlineAfter, DEADLINE_KINDS, type DeadlineKind } from './deadlines.ts';
import { createHazard, type CreatedHazard, type NewHazard } from './create.ts';

type HazardDeadlineDefaults = CampaignSettings['hazardDeadline'];

export const HAZARD_TIP_FORM = 'hazard-tip';
export const HAZARD_LEDGER_FORM = 'hazard-ledger';

type Answer = string | number | boolean | readonly string[] | undefined;

/** What the hook needs of a stored submission (a structural subset of the forms engine's context). */
export interface HazardSubmission {
  /** `id` is the SQL finding the submission when the hazard is made in the submission's own batch. */
  submission: { id: number | SQL; formId: string; unitCode: string | null; createdAt: number };
  answers: Readonly<Record<string, Answer>>;
}

function str(a: Answer): string {
  if (Array.isArray(a)) return a.join('、');
  return a === undefined || a === null ? '' : String(a).trim();
}

/** The first answer present among field names the forms may use. */
function pick(answers: HazardSubmission['answers'], ...names: string[]): string {
  for (const n of names) {
    const v = str(answers[n]);
    if (v) return v;
  }
  return '';
}

function yes(a: Answer): boolean {
  return a === true || a === 'yes' || a === 'true' || a === '1' || a === 'on' || a === 'fixed' || a === 'on-spot';
}

/**
 * What a tip or ledger row makes: a tip starts reported (the office triages it). A ledger row (R7) is either
 * fixed on the spot (R10) and closed at once, or held by the reporting unit itself as lead with its own plan
 * deadline (R11), other departments it needs as co-units (R12). Other forms make none (null). `defaults` are
 * the campaign's hazard deadline defaults, for a row without its own deadline.
 */
export function hazardPlan(ctx: HazardSubmission, defaults: HazardDeadlineDefaults): NewHazard | null {
  const { submission, answers } = ctx;
  if (submission.formId !== HAZARD_TIP_FORM && submission.formId !== HAZARD_LEDGER_FORM) return null;
  const category = pick(answers, 'category', 'placeType', 'kind') || 'other';
  const place = pick(answers, 'place', 'address', 'location') || '（未填写地点）';
  const description = pick(answers, 'description', 'details');

  const base = {
    submissionId: submission.id,
    category,
    place,
    description,
    reportedUnitCode: submission.unitCode,
    at: submission.createdAt,
    photo: pick(answers, 'photo') || null,
  };
  if (submission.formId === HAZARD_TIP_FORM) return { ...base, source: 'tip' };

  const onSpot = yes(answers.fixedOnSpot ?? answers.fixed_on_spot ?? answers.handling);
  const plan = pick(answers, 'plan', 'measures');
  if (onSpot || !submission.unitCode) {
    // A ledger row without a unit cannot be held by one; the office triages it like a tip.
    return {
      ...base,
      source: 'ledger',
      initial: onSpot ? 'fixed_on_spot' : 'reported',
      note: onSpot ? pick(answers, 'fixNote', 'plan', 'measures') || '现场整改' : null,
    };
  }
  const day = shanghaiDay(submission.createdAt);
  const given = pick(answers, 'deadline', 'dueDate');
  const kindAnswer = pick(answers, 'deadlineKind');
  const kind: DeadlineKind = (DEADLINE_KINDS as readonly string[]).includes(kindAnswer) ? (kindAnswer as DeadlineKind) : defaults.kind;
  const deadline = given && isValidDay(given) ? given : deadlineAfter(day, defaults.days, defaults.kind);
  const coUnitAnswer = answers.otherDepartments ?? answers.coUnits ?? answers.departments;
  // Only existing units other than the office become co-units: the insert itself leaves the others out.
  const coUnits = (Array.isArray(coUnitAnswer) ? [...coUnitAnswer] : str(coUnitAnswer).split(/[,，、\s]+/)).filter((c) => c && c !== submission.unitCode);
  return {
    ...base,
    source: 'ledger',
    initial: 'rectifying',
    leadUnitCode: submission.unitCode,
    coUnitCodes: coUnits,
    deadline,
    deadlineKind: given && isValidDay(given) ? 'calendar' : kind,
    note: plan || null,
  };
}

/** Makes the hazard of a stored tip or ledger row on its own (tests, tools); the submission hook batches the same statements. */
export async function hazardFromSubmission(q: StmtBuilder & Pick<Db, 'all'>, ctx: HazardSubmission): Promise<CreatedHazard | null> {
  const plan = hazardPlan(ctx, await hazardDeadlineDefaults(q));
  return plan ? createHazard(q, plan) : null;
}
