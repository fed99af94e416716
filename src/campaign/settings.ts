// A campaign's editable settings: their shape, the template from forms/, and the checks every save passes
// (answered in Chinese, field by field, before anything is written).
import type { CadreRole } from '../db/schema.ts';
import type { Campaign, CampaignTask, MetricKey, MetricWeights, OptionalMetricKey, TaskSource } from '../forms/types.ts';
import type { FieldError } from '../lib/errors.ts';
import { addDays, daysBetween, isValidDay } from '../lib/time.ts';
import templateCampaign from '../../forms/campaign.ts';
import templateTasks from '../../forms/tasks.ts';

/** Everything the office edits: the campaign of forms/campaign.ts plus the tasks of forms/tasks.ts. */
export interface CampaignSettings extends Campaign {
  readonly tasks: readonly CampaignTask[];
}

/** A stored campaign as services read it. */
export interface CurrentCampaign {
  /** 0 when no campaign has been stored yet (the template from forms/ is in force). */
  id: number;
  version: number;
  settings: CampaignSettings;
}

export const METRIC_KEYS: readonly MetricKey[] = ['V', 'H', 'T', 'S', 'A', 'P', 'G', 'C', 'U'];
/** Metrics added after campaigns were saved: a weight left out is 0 (today's formula), and is then not stored. */
const OPTIONAL_WEIGHTS: readonly MetricKey[] = ['C', 'U'] satisfies readonly OptionalMetricKey[];
export const QUOTA_ROLES: readonly CadreRole[] = ['district_leader', 'unit_leader', 'cadre'];
const DEADLINE_KINDS = ['calendar', 'working'] as const;
/** PIPL: kept no longer than the purpose needs; half a year after the campaign covers appeals and the year-end review. */
export const DEFAULT_RETENTION_DAYS = 180;

/** The starting point a district edits: forms/ as shipped. */
export function templateSettings(): CampaignSettings {
  return structuredClone({ ...templateCampaign, tasks: templateTasks }) as CampaignSettings;
}

/** The template moved so that it starts on `startDate`, every deadline moved with it. */
export function shiftSettings(s: CampaignSettings, startDate: string, endDate?: string): CampaignSettings {
  const by = daysBetween(s.startDate, startDate);
  const end = endDate ?? addDays(s.endDate, by);
  return {
    ...s,
    startDate,
    endDate: end,
    deadlines: s.deadlines.map((d) => {
      const moved = addDays(d.date, by);
      return { ...d, date: moved > end ? end : moved };
    }),
  };
}

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a save may carry: any subset of the settings' top-level fields. */
export const EDITABLE_FIELDS = [
  'name', 'district', 'brand', 'office', 'startDate', 'endDate', 'deadlines', 'visitQuotas', 'patrolSizes',
  'rankingWeights', 'rankingThreshold', 'hazardDeadline', 'slogans', 'tasks', 'retentionDays',
] as const;

/**
 * Merges `patch` over `base` and checks the result. Unknown fields are refused (a typo must not be
 * silently ignored); every problem is reported with the path of its field.
 */
export function applySettingsPatch(
  base: CampaignSettings,
  patch: unknown,
): { ok: true; settings: CampaignSettings } | { ok: false; errors: FieldError[] } {
  if (!isDict(patch)) return { ok: false, errors: [{ field: '', message: '请提交一个 JSON 对象' }] };
  const errors: FieldError[] = [];
  for (const k of Object.keys(patch)) {
    if (!(EDITABLE_FIELDS as readonly string[]).includes(k) && !['id', 'version', 'timezone'].includes(k)) {
      errors.push({ field: k, message: `不认识的设置项“${k.slice(0, 40)}”` });
    }
  }
  const merged: Dict = { ...base };
  for (const k of EDITABLE_FIELDS) if (k in patch) merged[k] = patch[k];
  if (Array.isArray(patch.tasks)) merged.tasks = keepUnshown(base.tasks, patch.tasks);
  const checked = checkSettings(merged, errors);
  return errors.length ? { ok: false, errors } : { ok: true, settings: checked! };
}

/** What a task carries that the office's page does not show: kept from the saved task of the same id unless the edit sets it (null removes it). */
const UNSHOWN_TASK_KEYS = ['from', 'perOfficer'] as const;

/** A page save (or an API client that read `GET /api/v1/campaign`) must not turn a register-counted task into a typed one. */
function keepUnshown(saved: readonly CampaignTask[], edited: unknown[]): unknown[] {
  const byId = new Map(saved.map((t) => [t.id, t]));
  return edited.map((raw) => {
    if (!isDict(raw) || typeof raw.id !== 'string') return raw;
    const before = byId.get(raw.id);
    if (!before) return raw;
    const kept: Dict = { ...raw };
    for (const k of UNSHOWN_TASK_KEYS) if (!(k in raw) && before[k] !== undefined) kept[k] = before[k];
    return kept;
  });
}

const text = (errors: FieldError[], field: string, v: unknown, label: string, max = 100): string => {
  if (typeof v !== 'string' || !v.trim()) {
    errors.push({ field, message: `${label}不能为空` });
    return '';
  }
  if (v.trim().length > max) errors.push({ field, message: `${label}不能超过 ${max} 个字` });
  return v.trim();
};

const day = (errors: FieldError[], field: string, v: unknown, label: string): string => {
  if (typeof v !== 'string' || !isValidDay(v)) {
    errors.push({ field, message: `${label}请填写有效日期，如 2026-11-04` });
    return '';
  }
  return v;
};

const whole = (errors: FieldError[], field: string, v: unknown, label: string, min: number, max: number): number => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    errors.push({ field, message: `${label}必须是整数` });
    return 0;
  }
  if (n < min || n > max) errors.push({ field, message: `${label}应在 ${min} 到 ${max} 之间` });
  return n;
};

const list = (errors: FieldError[], field: string, v: unknown, label: string, max: number): unknown[] => {
  if (!Array.isArray(v)) {
    errors.push({ field, message: `${label}应是一个列表` });
    return [];
  }
  if (v.length > max) errors.push({ field, message: `${label}最多 ${max} 项` });
  return v.slice(0, max);
};

function checkSettings(s: Dict, errors: FieldError[]): CampaignSettings | null {
  const name = text(errors, 'name', s.name, '活动名称');
  const district = text(errors, 'district', s.district, '地区名称', 40);
  const brand = text(errors, 'brand', s.brand, '简称', 20);
  const office = text(errors, 'office', s.office, '牵头单位', 40);
  const startDate = day(errors, 'startDate', s.startDate, '开始日期');
  const endDate = day(errors, 'endDate', s.endDate, '结束日期');
  const windowOk = Boolean(startDate && endDate);
  if (windowOk && endDate < startDate) errors.push({ field: 'endDate', message: '结束日期不能早于开始日期' });
  if (windowOk && daysBetween(startDate, endDate) > 366) errors.push({ field: 'endDate', message: '活动期不能超过一年' });

  const ids = new Set<string>();
  const deadlines = list(errors, 'deadlines', s.deadlines, '时间节点', 30).map((raw, i) => {
    const f = `deadlines[${i}]`;
    const d = isDict(raw) ? raw : {};
    const label = text(errors, `${f}.label`, d.label, '节点名称');
    const date = day(errors, `${f}.date`, d.date, '节点日期');
    if (date && windowOk && endDate >= startDate && (date < startDate || date > endDate)) {
      errors.push({ field: `${f}.date`, message: `节点日期应在活动期内（${startDate} 至 ${endDate}）` });
    }
    let id = typeof d.id === 'string' && /^[a-z0-9-]{1,40}$/.test(d.id) ? d.id : `deadline-${i + 1}`;
    while (ids.has(id)) id = `${id}-${i + 1}`;
    ids.add(id);
    return { id, date, label, rule: typeof d.rule === 'string' ? d.rule.slice(0, 20) : '' };
  });

  const quotasRaw = isDict(s.visitQuotas) ? s.visitQuotas : {};
  if (!isDict(s.visitQuotas)) errors.push({ field: 'visitQuotas', message: '入户走访任务数应按角色填写' });
  const roleLabel: Record<CadreRole, string> = { district_leader: '区级领导', unit_leader: '单位领导', cadre: '干部' };
  const visitQuotas = Object.fromEntries(
    QUOTA_ROLES.map((r) => [r, whole(errors, `visitQuotas.${r}`, quotasRaw[r], `${roleLabel[r]}走访户数`, 1, 10_000)]),
  ) as Record<CadreRole, number>;

  const bands = list(errors, 'patrolSizes', s.patrolSizes, '巡逻队人数标准', 10);
  if (Array.isArray(s.patrolSizes) && bands.length === 0) errors.push({ field: 'patrolSizes', message: '至少要有一档巡逻队人数标准' });
  const patrolSizes = bands.map((raw, i) => {
    const f = `patrolSizes[${i}]`;
    const b = isDict(raw) ? raw : {};
    const last = i === bands.length - 1;
    const below =
      last && (b.populationBelow === null || b.populationBelow === undefined || b.populationBelow === '')
        ? null
        : whole(errors, `${f}.populationBelow`, b.populationBelow, '人口上限', 1, 10_000_000);
    const min = whole(errors, `${f}.min`, b.min, '最少人数', 1, 1000);
    const max = whole(errors, `${f}.max`, b.max, '最多人数', 1, 1000);
    if (max < min) errors.push({ field: `${f}.max`, message: '最多人数不能少于最少人数' });
    return { populationBelow: below, min, max };
  });

  const weightsRaw = isDict(s.rankingWeights) ? s.rankingWeights : {};
  if (!isDict(s.rankingWeights)) errors.push({ field: 'rankingWeights', message: '排名权重应按指标填写' });
  const rankingWeights = Object.fromEntries(
    METRIC_KEYS.filter((k) => !(OPTIONAL_WEIGHTS.includes(k) && (weightsRaw[k] === undefined || weightsRaw[k] === null || weightsRaw[k] === ''))).map((k) => [
      k,
      whole(errors, `rankingWeights.${k}`, weightsRaw[k], `权重 ${k}`, 0, 1000),
    ]),
  ) as MetricWeights;
  if (isDict(s.rankingWeights) && Object.values(rankingWeights).reduce((a: number, b) => a + (b ?? 0), 0) <= 0) {
    errors.push({ field: 'rankingWeights', message: '各项权重之和必须大于 0' });
  }
  const rankingThreshold = whole(errors, 'rankingThreshold', s.rankingThreshold, '达标分数线', 0, 100);
  const retentionDays = s.retentionDays === undefined ? DEFAULT_RETENTION_DAYS : whole(errors, 'retentionDays', s.retentionDays, '个人信息保留天数', 30, 3650);

  const hd = isDict(s.hazardDeadline) ? s.hazardDeadline : {};
  if (!isDict(s.hazardDeadline)) errors.push({ field: 'hazardDeadline', message: '隐患整改期限应填写天数和计算方式' });
  const hazardDeadline = {
    days: whole(errors, 'hazardDeadline.days', hd.days, '整改天数', 1, 365),
    kind: (DEADLINE_KINDS as readonly unknown[]).includes(hd.kind) ? (hd.kind as 'calendar' | 'working') : 'working',
    remindDaysBefore: whole(errors, 'hazardDeadline.remindDaysBefore', hd.remindDaysBefore, '提前提醒天数', 0, 30),
  };
  if (!(DEADLINE_KINDS as readonly unknown[]).includes(hd.kind)) {
    errors.push({ field: 'hazardDeadline.kind', message: '计算方式只能是自然日（calendar）或工作日（working）' });
  }

  const slogans = list(errors, 'slogans', s.slogans, '宣传标语', 200)
    .map((v, i) => text(errors, `slogans[${i}]`, v, '标语', 60))
    .filter(Boolean);

  const taskIds = new Set<string>();
  const tasks = list(errors, 'tasks', s.tasks, '任务', 500).map((raw, i): CampaignTask => {
    const f = `tasks[${i}]`;
    const t = isDict(raw) ? raw : {};
    const title = text(errors, `${f}.title`, t.title ?? t.label, '任务名称', 120);
    const owner = text(errors, `${f}.owner`, t.owner ?? (t.unitKind === 'town' ? 'towns' : t.unitKind === 'station' ? 'stations' : t.unit), '负责单位', 60);
    if (t.target === undefined || t.target === null || t.target === '') {
      errors.push({ field: `${f}.target`, message: '任务必须有目标数' });
    }
    const target = t.target === undefined || t.target === null || t.target === '' ? 0 : whole(errors, `${f}.target`, t.target, '目标数', 1, 1_000_000);
    let id = typeof t.id === 'string' && /^[a-z0-9-]{1,60}$/.test(t.id) ? t.id : `task-${i + 1}`;
    if (taskIds.has(id)) errors.push({ field: `${f}.id`, message: `任务编号“${id}”重复` });
    taskIds.add(id);
    return {
      id,
      owner,
      title,
      rule: typeof t.rule === 'string' ? t.rule.slice(0, 20) : '',
      unitLabel: typeof t.unitLabel === 'string' && t.unitLabel.trim() ? t.unitLabel.trim().slice(0, 6) : '次',
      target,
      ...(t.from === undefined || t.from === null ? {} : { from: checkTaskSource(errors, `${f}.from`, t.from) }),
      ...(t.perOfficer === undefined || t.perOfficer === null || t.perOfficer === ''
        ? {}
        : { perOfficer: whole(errors, `${f}.perOfficer`, t.perOfficer, '每名干警的目标数', 1, 1000) }),
    };
  });

  if (errors.length) return null;
  return {
    name, district, brand, office, startDate, endDate, timezone: 'Asia/Shanghai', deadlines, visitQuotas, patrolSizes,
    rankingWeights, rankingThreshold, hazardDeadline, slogans, tasks, retentionDays,
  };
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

/** A task's register: a form id, what to count and the fields; the form's own fields are checked when it is counted. */
function checkTaskSource(errors: FieldError[], f: string, raw: unknown): TaskSource {
  const t = isDict(raw) ? raw : {};
  const form = typeof t.form === 'string' && /^[a-z0-9-]{1,60}$/.test(t.form) ? t.form : '';
  if (!form) errors.push({ field: `${f}.form`, message: '请填写统计来源的表单编号' });
  const count = t.count === 'entries' || t.count === 'sum' || t.count === 'distinct' ? t.count : 'entries';
  if (t.count !== undefined && t.count !== count) errors.push({ field: `${f}.count`, message: '统计方式只能是 entries（条数）、sum（合计）或 distinct（不同对象数）' });
  const fields = Array.isArray(t.fields) ? t.fields.filter((x): x is string => typeof x === 'string' && NAME.test(x)) : [];
  if (Array.isArray(t.fields) ? fields.length !== t.fields.length : t.fields !== undefined) errors.push({ field: `${f}.fields`, message: '字段名无效' });
  if (count === 'sum' && !fields.length) errors.push({ field: `${f}.fields`, message: '合计须指定要相加的字段' });
  if (count === 'distinct' && fields.length !== 1) errors.push({ field: `${f}.fields`, message: '不同对象数须指定一个填写对象名称的字段' });
  let where: TaskSource['where'];
  if (t.where !== undefined) {
    const w = isDict(t.where) ? t.where : {};
    const equals = Array.isArray(w.equals) ? w.equals.filter((x): x is string => typeof x === 'string' && x.length <= 60) : [];
    if (typeof w.field !== 'string' || !NAME.test(w.field) || !equals.length || equals.length !== (w.equals as unknown[]).length) {
      errors.push({ field: `${f}.where`, message: '筛选条件应为 {field, equals:[…]}' });
    } else where = { field: w.field, equals };
  }
  return { form, count, ...(fields.length ? { fields } : {}), ...(where ? { where } : {}) };
}

/** The API's view of the tasks: towns' tasks say `unitKind: 'town'`, police stations' `unitKind: 'station'`, a department's its `unit` code. */
export function publicTask(t: CampaignTask) {
  return {
    id: t.id,
    ...(t.owner === 'towns' ? { unitKind: 'town' as const } : t.owner === 'stations' ? { unitKind: 'station' as const } : { unit: t.owner }),
    label: t.title,
    target: t.target,
    unitLabel: t.unitLabel,
    rule: t.rule,
    ...(t.from ? { from: t.from } : {}),
    ...(t.perOfficer ? { perOfficer: t.perOfficer } : {}),
  };
}
