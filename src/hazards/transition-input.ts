// A hazard move's fields, checked against its action's definition with what the move read beforehand (units,
// the merge target) and the campaign: Chinese messages by field, nothing read here.
import { cleanText } from '../lib/text.ts';
import { validationFailed, type FieldError } from '../lib/errors.ts';
import { addDays, isValidDay } from '../lib/time.ts';
import type { CampaignSettings } from '../campaign/settings.ts';
import { deadlineAfter, DEADLINE_KINDS, type DeadlineKind } from './deadlines.ts';
import { isMerged, type ActionDefinition, type ActionField } from './states.ts';
import type { HazardRow, TransitionReads } from './transition-reads.ts';

export interface TransitionInput {
  leadUnit?: unknown;
  coUnits?: unknown;
  deadline?: unknown;
  days?: unknown;
  deadlineKind?: unknown;
  note?: unknown;
  reason?: unknown;
  photo?: unknown;
  duplicateOf?: unknown;
}

interface CleanInput {
  leadUnit?: string;
  coUnits?: string[];
  deadline?: string;
  deadlineKind?: DeadlineKind;
  note?: string;
  reason?: string;
  photo?: string;
  duplicateOf?: number;
}

const TEXT_MAX = 1000;

/** Days after the campaign's end (or today, if later) a deadline may reach: 9999-12-31 would never be overdue. */
export const DEADLINE_GRACE_DAYS = 365;

/** The latest deadline the office may set: a year after the later of the campaign's end and today. */
function latestDeadline(campaignEnd: string, today: string): string {
  const end = isValidDay(campaignEnd) && campaignEnd > today ? campaignEnd : today;
  return addDays(end, DEADLINE_GRACE_DAYS);
}

/** Notes and reasons without invisible format characters: a note of zero-width spaces is no note. */
const text = cleanText;

function list(v: unknown): string[] {
  const items = Array.isArray(v) ? v : typeof v === 'string' ? v.split(/[,，\s]+/) : [];
  return [...new Set(items.filter((x): x is string => typeof x === 'string').map((x) => x.trim()).filter(Boolean))];
}

/** Checks an action's fields against its definition; unknown units and past deadlines are refused. */
export function cleanInput(def: ActionDefinition, raw: TransitionInput, today: string, hazard: HazardRow, reads: TransitionReads, campaign: CampaignSettings): CleanInput {
  const wanted = new Set<ActionField>([...def.requires, ...def.optional]);
  const required = new Set<ActionField>(def.requires);
  const errors: FieldError[] = [];
  const out: CleanInput = {};

  if (wanted.has('leadUnit') || wanted.has('coUnits')) {
    const lead = text(raw.leadUnit);
    const co = wanted.has('coUnits') ? list(raw.coUnits).filter((c) => c !== lead) : [];
    const codes = [...new Set([...(lead ? [lead] : []), ...co])];
    const known = new Map(codes.filter((c) => reads.knownUnits.has(c)).map((c) => [c, reads.knownUnits.get(c)!]));
    if (!lead) {
      if (required.has('leadUnit')) errors.push({ field: 'leadUnit', message: '请选择牵头单位' });
    } else if (!known.has(lead) || known.get(lead) === 'office') {
      errors.push({ field: 'leadUnit', message: '牵头单位不存在，请从列表中选择' });
    } else out.leadUnit = lead;
    const badCo = co.filter((c) => !known.has(c) || known.get(c) === 'office');
    if (badCo.length) errors.push({ field: 'coUnits', message: `配合单位不存在：${badCo.join('、')}` });
    else out.coUnits = co;
  }

  if (wanted.has('deadline')) {
    const latest = latestDeadline(campaign.endDate, today);
    const date = text(raw.deadline);
    const daysText = typeof raw.days === 'number' ? String(raw.days) : text(raw.days);
    const kindText = text(raw.deadlineKind) ?? campaign.hazardDeadline.kind;
    const kind = (DEADLINE_KINDS as readonly string[]).includes(kindText) ? (kindText as DeadlineKind) : undefined;
    if (!kind) errors.push({ field: 'deadlineKind', message: '期限类型只能是自然日或工作日' });
    if (date) {
      if (!isValidDay(date)) errors.push({ field: 'deadline', message: '整改期限日期无效，格式为 YYYY-MM-DD' });
      else if (date < today) errors.push({ field: 'deadline', message: '整改期限不能早于今天' });
      else if (date > latest) errors.push({ field: 'deadline', message: `整改期限不能晚于 ${latest}（本期活动结束后一年）` });
      else {
        out.deadline = date;
        out.deadlineKind = kind ?? 'calendar';
      }
    } else if (daysText) {
      const n = Number(daysText);
      if (!Number.isInteger(n) || n < 1 || n > 365) errors.push({ field: 'days', message: '整改天数应为 1 到 365 的整数' });
      else if (kind && deadlineAfter(today, n, kind) > latest) errors.push({ field: 'days', message: `整改期限不能晚于 ${latest}（本期活动结束后一年）` });
      else if (kind) {
        out.deadline = deadlineAfter(today, n, kind);
        out.deadlineKind = kind;
      }
    } else if (required.has('deadline')) {
      errors.push({ field: 'deadline', message: '请填写整改期限（日期或天数）' });
    }
  }

  for (const field of ['note', 'reason'] as const) {
    if (!wanted.has(field)) continue;
    const t = text(raw[field]);
    if (!t) {
      if (required.has(field)) errors.push({ field, message: field === 'reason' ? '请填写原因' : '请填写情况说明' });
    } else if (t.length > TEXT_MAX) errors.push({ field, message: `不能超过 ${TEXT_MAX} 字` });
    else out[field] = t;
  }

  if (wanted.has('photo')) {
    const p = text(raw.photo);
    if (p && !/^[A-Za-z0-9][A-Za-z0-9/_.-]{0,199}$/.test(p)) errors.push({ field: 'photo', message: '照片编号无效' });
    else if (p) out.photo = p;
  }

  if (wanted.has('duplicateOf')) {
    const v = raw.duplicateOf;
    const t = typeof v === 'number' ? String(v) : text(v);
    const target = t ? reads.duplicateTarget : undefined;
    if (!t) errors.push({ field: 'duplicateOf', message: '请选择要合并到的隐患' });
    else if (!target) errors.push({ field: 'duplicateOf', message: '要合并到的隐患不存在' });
    else if (target.id === hazard.id) errors.push({ field: 'duplicateOf', message: '不能合并到自身' });
    else if (isMerged(target.state)) errors.push({ field: 'duplicateOf', message: '该隐患本身已被合并，请选择保留的那一条' });
    else out.duplicateOf = target.id;
  }

  if (errors.length) {
    throw validationFailed(errors, errors.map((e) => e.message).join('；'));
  }
  return out;
}

