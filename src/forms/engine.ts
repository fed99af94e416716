// The forms engine: one FormDefinition (forms/*.ts) becomes a valibot schema with Chinese messages,
// the validated answers split into non-personal answers and personal data, a JSON Schema, sheet columns and metrics.
//
// Unknown fields: keys starting with '_' are transport (token, honeypot, turnstile) and always ignored.
// Other unknown keys are ignored by default (browsers send what the page holds) and rejected with
// `unknown: 'reject'` — the JSON API does that, so an integrator's typo is reported instead of lost.
// Fields hidden by showWhen (their condition not met) are dropped and never required.
import * as v from 'valibot';
import { toJsonSchema } from '@valibot/to-json-schema';
import { isValidDay } from '../lib/time.ts';
import type { FieldDefinition, FieldMetric, FieldOption, FieldType, FormDefinition } from './types.ts';

export const FIELD_TYPES: readonly FieldType[] = [
  'text', 'textarea', 'choice', 'multichoice', 'boolean', 'date', 'datetime', 'integer', 'phone', 'photo', 'cadre', 'place', 'unit', 'task',
];

/** Hard caps when a definition gives no max: nobody types more on a phone, and it bounds storage. */
export const DEFAULT_MAX_LENGTH: Readonly<Record<'text' | 'textarea', number>> = { text: 200, textarea: 2000 };
const INTEGER_LIMIT = 1_000_000_000;

/** The lists context-dependent fields ('cadre', 'place', 'unit', 'task') take their options from. */
export interface FormContext {
  cadres?: readonly { id: number; name: string }[];
  places?: readonly { code: string; name: string }[];
  units?: readonly { code: string; name: string }[];
  tasks?: readonly { id: string; title: string }[];
  /** What to do with keys that are not fields of the form (see the top of this module). Default 'ignore'. */
  unknown?: 'ignore' | 'reject';
  /** Today (Asia/Shanghai, YYYY-MM-DD): what a date bound of 'today' means; without it such a bound is not checked. */
  today?: string;
}

export type AnswerValue = string | number | boolean | string[];
export type Answers = Record<string, AnswerValue>;
export interface FieldError {
  field: string;
  message: string;
}
export type ValidationResult =
  | { ok: true; answers: Answers; personal: Answers }
  | { ok: false; errors: FieldError[] };

export const MESSAGES = {
  required: (f: FieldDefinition) =>
    f.type === 'choice' || f.type === 'boolean' || f.type === 'cadre' || f.type === 'place' || f.type === 'unit' || f.type === 'task'
      ? `请选择“${f.label}”`
      : f.type === 'multichoice'
        ? `请至少选择一项“${f.label}”`
        : f.type === 'photo'
          ? `请上传“${f.label}”`
          : `请填写“${f.label}”`,
  text: '请填写文字',
  option: '请从给出的选项中选择',
  listed: '请从列表中选择',
  boolean: '请选择“是”或“否”',
  integer: '请填写整数',
  date: '请填写有效的日期，如 2014-11-04',
  datetime: '请填写有效的日期和时间，如 2014-11-04 09:30',
  phone: '请填写正确的手机号（11位，以1开头）或座机号（如 0917-3212345）',
  photo: '照片无效，请重新选择',
  encoding: '含有无法识别的字符（可能是编码错误），请重新输入',
  pattern: '格式不正确',
  unknown: '表单中没有这一项',
  minLength: (n: number) => `至少填写${n}个字`,
  maxLength: (n: number) => `不能超过${n}个字，请精简`,
  minValue: (n: number) => `不能小于${n}`,
  maxValue: (n: number) => `不能大于${n}`,
  minDate: (d: string) => `不能早于${d}`,
  maxDate: (d: string) => `不能晚于${d}`,
} as const;

// ---------------------------------------------------------------------------------------------
// Normalising raw input (form strings or JSON values) before the typed schema sees it.

const FULL_WIDTH_DIGITS = /[０-９]/g;
const halfWidth = (s: string) => s.replace(FULL_WIDTH_DIGITS, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
// Control characters other than tab and newline have no place in an answer (and can break sheets and logs).
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function oneString(raw: unknown): unknown {
  if (Array.isArray(raw)) raw = raw.find((x) => x !== undefined && x !== '');
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') return raw;
  const s = raw.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();
  return s === '' ? undefined : s;
}

const BOOLEAN_TOKENS: Record<string, boolean> = { yes: true, true: true, '1': true, 是: true, no: false, false: false, '0': false, 否: false };

function normaliseBoolean(raw: unknown): unknown {
  if (typeof raw === 'boolean') return raw;
  if (raw === 1 || raw === 0) return raw === 1;
  const s = oneString(raw);
  if (typeof s !== 'string') return s;
  const b = BOOLEAN_TOKENS[s.toLowerCase()];
  return b === undefined ? s : b;
}

function normaliseInteger(raw: unknown): unknown {
  if (typeof raw === 'number') return raw;
  const s = oneString(raw);
  if (typeof s !== 'string') return s;
  const t = halfWidth(s).replace(/[,，\s]/g, '');
  return /^[+-]?\d{1,15}$/.test(t) ? Number(t) : s;
}

function normaliseList(raw: unknown): unknown {
  if (raw === undefined || raw === null) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  const out: unknown[] = [];
  for (const item of list) {
    const s = oneString(item);
    if (s === undefined) continue;
    if (!out.includes(s)) out.push(s);
  }
  return out.length === 0 ? undefined : out;
}

function normaliseDateTime(raw: unknown): unknown {
  const s = oneString(raw);
  if (typeof s !== 'string') return s;
  // Accept "2014-11-04 09:30" and seconds; store the datetime-local form "2014-11-04T09:30".
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(s);
  return m ? `${m[1]}T${m[2]}` : s;
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?$/;

/** Canonical phone: mobile as 11 digits, landline as 0AAA-NNNNNNN[-EXT]; undefined when not a phone number. */
export function normalisePhone(input: string): string | undefined {
  let s = halfWidth(input).replace(/[\s()（）]/g, '').replace(/[—–－]/g, '-');
  if (/^(?:\+?86)-?1\d{10}$/.test(s)) s = s.replace(/^\+?86-?/, '');
  if (MOBILE.test(s)) return s;
  if (LANDLINE.test(s)) {
    if (s.includes('-')) return s;
    // Without a dash, 3-digit area codes are 010 and 02X; the rest have 4 digits.
    const areaLength = /^0(?:10|2\d)/.test(s) ? 3 : 4;
    return `${s.slice(0, areaLength)}-${s.slice(areaLength)}`;
  }
  return undefined;
}

function isValidDateTime(s: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(s);
  return !!m && isValidDay(m[1]!) && Number(m[2]) < 24 && Number(m[3]) < 60;
}

/** Photo values are keys the server gave the upload, never a client's path or URL. */
export const PHOTO_KEY = /^[a-z0-9][a-z0-9/_-]{7,120}\.(?:jpg|png|webp)$/;

// ---------------------------------------------------------------------------------------------
// The schema.

type AnySchema = v.GenericSchema<unknown, unknown>;

function normaliser(f: FieldDefinition): (raw: unknown) => unknown {
  switch (f.type) {
    case 'boolean':
      return normaliseBoolean;
    case 'integer':
      return normaliseInteger;
    case 'cadre':
      return normaliseInteger;
    case 'multichoice':
      return normaliseList;
    case 'datetime':
      return normaliseDateTime;
    default:
      return oneString;
  }
}

const num = (x: number | string | undefined): number | undefined => (typeof x === 'number' ? x : undefined);
const str = (x: number | string | undefined): string | undefined => (typeof x === 'string' ? x : undefined);

/** A date bound as a day: 'today' resolves through the context (unchecked without one). */
export function dateBound(bound: number | string | undefined, ctx: FormContext): string | undefined {
  if (bound === 'today') return ctx.today;
  return str(bound);
}
const TODAY_MESSAGES = { min: '不能早于今天', max: '不能晚于今天' } as const;

function contextValues(f: FieldDefinition, ctx: FormContext): (string | number)[] {
  switch (f.type) {
    case 'cadre':
      return (ctx.cadres ?? []).map((c) => c.id);
    case 'place':
      return (ctx.places ?? []).map((p) => p.code);
    case 'unit':
      return (ctx.units ?? []).map((u) => u.code);
    case 'task':
      return (ctx.tasks ?? []).map((t) => t.id);
    default:
      return [];
  }
}

/** The schema of one field's value once it is present (normalised, not blank). */
function valueSchema(f: FieldDefinition, ctx: FormContext): AnySchema {
  switch (f.type) {
    case 'text':
    case 'textarea': {
      const max = num(f.max) ?? DEFAULT_MAX_LENGTH[f.type];
      const min = num(f.min);
      const items: v.PipeItem<string, string, v.BaseIssue<unknown>>[] = [];
      if (min !== undefined && min > 0) items.push(v.minLength(min, MESSAGES.minLength(min)));
      items.push(v.maxLength(max, MESSAGES.maxLength(max)));
      // U+FFFD is what invalid UTF-8 bytes (raw or %-encoded) decode to, and a lone surrogate (a JSON \u escape such as D800) has no
      // UTF-8 form: refuse both rather than store mojibake.
      items.push(v.check((s) => !s.includes('\uFFFD') && !LONE_SURROGATE.test(s), MESSAGES.encoding));
      if (f.pattern) items.push(v.regex(new RegExp(f.pattern, 'u'), f.patternMessage ?? MESSAGES.pattern));
      return v.pipe(v.string(MESSAGES.text), ...items) as AnySchema;
    }
    case 'choice':
      return v.picklist((f.options ?? []).map((o) => o.value), MESSAGES.option) as AnySchema;
    case 'multichoice': {
      const items: v.PipeItem<string[], string[], v.BaseIssue<unknown>>[] = [];
      if (num(f.min) !== undefined) items.push(v.minLength(num(f.min)!, `请至少选择${num(f.min)}项`));
      if (num(f.max) !== undefined) items.push(v.maxLength(num(f.max)!, `最多选择${num(f.max)}项`));
      return v.pipe(v.array(v.picklist((f.options ?? []).map((o) => o.value), MESSAGES.option), MESSAGES.option), ...items) as AnySchema;
    }
    case 'boolean':
      return v.boolean(MESSAGES.boolean) as AnySchema;
    case 'integer': {
      const min = num(f.min) ?? -INTEGER_LIMIT;
      const max = num(f.max) ?? INTEGER_LIMIT;
      return v.pipe(v.number(MESSAGES.integer), v.integer(MESSAGES.integer), v.minValue(min, MESSAGES.minValue(min)), v.maxValue(max, MESSAGES.maxValue(max))) as AnySchema;
    }
    case 'date': {
      const items: v.PipeItem<string, string, v.BaseIssue<unknown>>[] = [v.check(isValidDay, MESSAGES.date)];
      const min = dateBound(f.min, ctx);
      const max = dateBound(f.max, ctx);
      if (min) items.push(v.check((d) => d >= min, f.min === 'today' ? TODAY_MESSAGES.min : MESSAGES.minDate(min)));
      if (max) items.push(v.check((d) => d <= max, f.max === 'today' ? TODAY_MESSAGES.max : MESSAGES.maxDate(max)));
      return v.pipe(v.string(MESSAGES.date), ...items) as AnySchema;
    }
    case 'datetime': {
      const items: v.PipeItem<string, string, v.BaseIssue<unknown>>[] = [v.check(isValidDateTime, MESSAGES.datetime)];
      const min = dateBound(f.min, ctx);
      const max = dateBound(f.max, ctx);
      // Bounds are days (YYYY-MM-DD): compare the day part.
      if (min) items.push(v.check((d) => d.slice(0, 10) >= min.slice(0, 10), f.min === 'today' ? TODAY_MESSAGES.min : MESSAGES.minDate(min)));
      if (max) items.push(v.check((d) => d.slice(0, 10) <= max.slice(0, 10), f.max === 'today' ? TODAY_MESSAGES.max : MESSAGES.maxDate(max)));
      return v.pipe(v.string(MESSAGES.datetime), ...items) as AnySchema;
    }
    case 'phone':
      return v.pipe(
        v.string(MESSAGES.phone),
        v.check((s) => normalisePhone(s) !== undefined, MESSAGES.phone),
        v.transform((s) => normalisePhone(s)!),
      ) as AnySchema;
    case 'photo':
      return v.pipe(v.string(MESSAGES.photo), v.regex(PHOTO_KEY, MESSAGES.photo)) as AnySchema;
    case 'cadre':
      return v.picklist(contextValues(f, ctx) as number[], MESSAGES.listed) as AnySchema;
    case 'place':
    case 'unit':
    case 'task':
      return v.picklist(contextValues(f, ctx) as string[], MESSAGES.listed) as AnySchema;
  }
}

/** One field: normalise, then required-or-optional, then the typed value. */
export function fieldSchema(f: FieldDefinition, ctx: FormContext = {}): AnySchema {
  const normalise = normaliser(f);
  const inner = valueSchema(f, ctx);
  if (f.required) {
    return v.pipe(v.unknown(), v.transform(normalise), v.check((x) => x !== undefined, MESSAGES.required(f)), inner) as AnySchema;
  }
  return v.pipe(v.unknown(), v.transform(normalise), v.optional(inner)) as AnySchema;
}

/** The valibot schema of a whole form; `visible` leaves fields hidden by showWhen out. */
export function answersSchema(form: FormDefinition, ctx: FormContext = {}, visible?: ReadonlySet<string>) {
  const entries: Record<string, AnySchema> = {};
  for (const f of form.fields) {
    if (visible && !visible.has(f.name)) continue;
    entries[f.name] = fieldSchema(f, ctx);
  }
  return v.object(entries);
}

/** The value a showWhen condition compares with: strings as typed, booleans as 'yes'/'no'. */
function conditionTokens(f: FieldDefinition | undefined, raw: unknown): string[] {
  if (!f) return [];
  if (f.type === 'boolean') {
    const b = normaliseBoolean(raw);
    return b === true ? ['yes', 'true'] : b === false ? ['no', 'false'] : [];
  }
  const list = normaliseList(raw);
  return Array.isArray(list) ? list.map(String) : [];
}

/** Names of the fields shown for this input (showWhen conditions met, recursively). */
export function visibleFields(form: FormDefinition, input: Record<string, unknown>): Set<string> {
  const byName = new Map(form.fields.map((f) => [f.name, f]));
  const visible = new Set<string>();
  const isVisible = (f: FieldDefinition, depth: number): boolean => {
    if (!f.showWhen) return true;
    const parent = byName.get(f.showWhen.field);
    if (!parent || depth > 10 || !isVisible(parent, depth + 1)) return false;
    const tokens = conditionTokens(parent, input[parent.name]);
    return tokens.some((t) => f.showWhen!.equals.includes(t));
  };
  for (const f of form.fields) if (isVisible(f, 0)) visible.add(f.name);
  return visible;
}

/** Validates answers to a form: {ok, answers (no personal data), personal} or {ok:false, errors (one per field, in form order)}. */
export function validateAnswers(form: FormDefinition, input: Record<string, unknown>, ctx: FormContext = {}): ValidationResult {
  const errors: FieldError[] = [];
  const names = new Set(form.fields.map((f) => f.name));
  if (ctx.unknown === 'reject') {
    for (const key of Object.keys(input)) {
      if (!key.startsWith('_') && !names.has(key)) errors.push({ field: key, message: MESSAGES.unknown });
    }
  }
  const visible = visibleFields(form, input);
  // Every visible field is present as a key, so a missing answer gets the field's own "required" message.
  const present: Record<string, unknown> = {};
  for (const name of visible) present[name] = Object.hasOwn(input, name) ? input[name] : undefined;
  const result = v.safeParse(answersSchema(form, ctx, visible), present);
  if (!result.success) {
    const seen = new Set<string>();
    const fieldErrors: FieldError[] = [];
    for (const issue of result.issues) {
      const field = String(issue.path?.[0]?.key ?? '');
      if (!field || seen.has(field)) continue;
      seen.add(field);
      fieldErrors.push({ field, message: issue.message });
    }
    const order = new Map(form.fields.map((f, i) => [f.name, i]));
    fieldErrors.sort((a, b) => (order.get(a.field) ?? 0) - (order.get(b.field) ?? 0));
    errors.unshift(...fieldErrors);
  }
  if (errors.length > 0) return { ok: false, errors };
  const output = (result as v.SafeParseResult<AnySchema> & { success: true }).output as Record<string, unknown>;
  const answers: Answers = {};
  const personal: Answers = {};
  for (const f of form.fields) {
    const value = output[f.name];
    if (value === undefined || !visible.has(f.name)) continue;
    (f.personal ? personal : answers)[f.name] = value as AnswerValue;
  }
  return { ok: true, answers, personal };
}

// ---------------------------------------------------------------------------------------------
// Projections: JSON Schema, sheet columns, display values, metrics.

function describedSchema(f: FieldDefinition, ctx: FormContext): AnySchema {
  let base: AnySchema;
  switch (f.type) {
    case 'text':
    case 'textarea':
    case 'choice':
    case 'multichoice':
    case 'integer':
    case 'cadre':
      base = f.type === 'cadre' && !ctx.cadres ? (v.pipe(v.number(), v.integer()) as AnySchema) : valueSchema(f, ctx);
      break;
    case 'place':
    case 'unit':
    case 'task':
      base = contextValues(f, ctx).length > 0 ? valueSchema(f, ctx) : (v.string() as AnySchema);
      break;
    case 'boolean':
      base = v.boolean() as AnySchema;
      break;
    case 'date':
      base = v.pipe(v.string(), v.isoDate()) as AnySchema;
      break;
    case 'datetime':
      base = v.pipe(v.string(), v.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)) as AnySchema;
      break;
    case 'phone':
      base = v.pipe(v.string(), v.regex(/^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?)$/)) as AnySchema;
      break;
    case 'photo':
      base = v.pipe(v.string(), v.description('照片只能通过网页表单（multipart）上传')) as AnySchema;
      break;
  }
  const meta: v.PipeItem<unknown, unknown, v.BaseIssue<unknown>>[] = [v.title(f.label)];
  const notes = [f.help, f.personal ? '个人信息，单独保存，不公开' : undefined, f.showWhen ? `仅当 ${f.showWhen.field} 为 ${f.showWhen.equals.join('/')} 时填写` : undefined].filter(Boolean);
  if (notes.length > 0) meta.push(v.description(notes.join('；')));
  const described = v.pipe(base, ...meta) as AnySchema;
  return f.required ? described : (v.optional(described) as AnySchema);
}

/** JSON Schema of the answers a form accepts, for GET /api/v1/forms. */
export function formJsonSchema(form: FormDefinition, ctx: FormContext = {}) {
  const entries: Record<string, AnySchema> = {};
  for (const f of form.fields) entries[f.name] = describedSchema(f, ctx);
  return toJsonSchema(v.pipe(v.object(entries), v.title(form.title), v.description(form.intro)), { errorMode: 'ignore' });
}

export interface SheetColumn {
  name: string;
  header: string;
  field: FieldDefinition;
}

/** Columns a form contributes to the sheet: non-personal fields whose sheetColumn is not false. */
export function sheetColumns(form: FormDefinition): SheetColumn[] {
  return form.fields
    .filter((f) => !f.personal && f.sheetColumn !== false)
    .map((f) => ({ name: f.name, header: typeof f.sheetColumn === 'string' ? f.sheetColumn : f.label, field: f }));
}

/** An answer as people read it: option labels instead of values, 是/否 for booleans. */
export function displayValue(f: FieldDefinition, value: unknown, ctx: FormContext = {}): string {
  if (value === undefined || value === null || value === '') return '';
  const label = (x: unknown) => f.options?.find((o) => o.value === x)?.label ?? String(x);
  switch (f.type) {
    case 'choice':
      return label(value);
    case 'multichoice':
      return (Array.isArray(value) ? value : [value]).map(label).join('、');
    case 'boolean':
      return value === true ? '是' : value === false ? '否' : String(value);
    case 'datetime':
      return String(value).replace('T', ' ');
    case 'cadre':
      return ctx.cadres?.find((c) => c.id === value)?.name ?? String(value);
    case 'place':
      return ctx.places?.find((p) => p.code === value)?.name ?? String(value);
    case 'unit':
      return ctx.units?.find((u) => u.code === value)?.name ?? String(value);
    case 'task':
      return ctx.tasks?.find((t) => t.id === value)?.title ?? String(value);
    default:
      return String(value);
  }
}

export interface MetricValues {
  satisfaction: string | null;
  aware: boolean | null;
  participated: boolean | null;
  cadreId: number | null;
  taskId: string | null;
  quantity: number | null;
}

const METRIC_COLUMN: Record<FieldMetric, keyof MetricValues> = {
  satisfaction: 'satisfaction',
  aware: 'aware',
  participated: 'participated',
  cadre: 'cadreId',
  task: 'taskId',
  quantity: 'quantity',
};

/** The type a metric field must have, so the extracted column has the right type. */
const METRIC_TYPES: Record<FieldMetric, readonly FieldType[]> = {
  satisfaction: ['choice'],
  aware: ['boolean'],
  participated: ['boolean'],
  cadre: ['cadre'],
  task: ['task'],
  quantity: ['integer'],
};

/** The submission columns the ranking aggregates, read from validated answers. */
export function metricValues(form: FormDefinition, answers: Answers): MetricValues {
  const out: MetricValues = { satisfaction: null, aware: null, participated: null, cadreId: null, taskId: null, quantity: null };
  for (const f of form.fields) {
    if (!f.metric) continue;
    const value = answers[f.name];
    if (value === undefined) continue;
    const column = METRIC_COLUMN[f.metric];
    (out as unknown as Record<string, unknown>)[column] = value;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Definitions.

const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const FIELD_NAME = /^[a-z][a-zA-Z0-9]*$/;
const OPTION_TYPES: readonly FieldType[] = ['choice', 'multichoice'];

/** Problems with a form definition, in plain words; empty when it is valid. */
export function definitionProblems(form: FormDefinition): string[] {
  const problems: string[] = [];
  const at = (f: FieldDefinition | undefined, msg: string) => problems.push(f ? `${form.id}.${f.name}: ${msg}` : `${form.id}: ${msg}`);
  if (typeof form.id !== 'string' || !KEBAB.test(form.id)) at(undefined, 'id must be kebab-case');
  if (!Number.isInteger(form.version) || form.version < 1) at(undefined, 'version must be a positive integer');
  if (!form.title?.trim()) at(undefined, 'title is empty');
  if (form.audience !== 'public' && form.audience !== 'unit') at(undefined, `unknown audience ${String(form.audience)}`);
  if (!Array.isArray(form.fields) || form.fields.length === 0) {
    at(undefined, 'has no fields');
    return problems;
  }
  const names = new Set<string>();
  const metrics = new Set<string>();
  for (const f of form.fields) {
    if (typeof f.name !== 'string' || !FIELD_NAME.test(f.name)) at(f, 'field name must be camelCase letters and digits (no leading _)');
    if (names.has(f.name)) at(f, 'duplicate field name');
    names.add(f.name);
    if (!FIELD_TYPES.includes(f.type)) {
      at(f, `unknown type ${String(f.type)}`);
      continue;
    }
    if (!f.label?.trim()) at(f, 'label is empty');
    if (OPTION_TYPES.includes(f.type)) {
      if (!f.options || f.options.length === 0) at(f, 'option list is empty');
      else {
        const values = f.options.map((o: FieldOption) => o.value);
        if (new Set(values).size !== values.length) at(f, 'duplicate option value');
        if (f.options.some((o: FieldOption) => !o.value || !o.label)) at(f, 'option without value or label');
      }
    } else if (f.options) at(f, `options are only for choice and multichoice, not ${f.type}`);
    if (f.min !== undefined && f.max !== undefined && f.min !== 'today' && f.max !== 'today' && typeof f.min === typeof f.max && f.min > f.max) at(f, 'min is greater than max');
    if (f.type === 'date' || f.type === 'datetime') {
      for (const b of [f.min, f.max]) if (b !== undefined && b !== 'today' && (typeof b !== 'string' || !isValidDay(b.slice(0, 10)))) at(f, `date bound ${String(b)} is not YYYY-MM-DD or 'today'`);
    } else if ((f.min !== undefined && typeof f.min !== 'number') || (f.max !== undefined && typeof f.max !== 'number')) {
      at(f, 'min/max must be numbers');
    }
    if (f.pattern !== undefined) {
      try {
        new RegExp(f.pattern, 'u');
      } catch {
        at(f, 'pattern is not a valid regular expression');
      }
    }
    if (f.metric) {
      const allowed = (METRIC_TYPES as Record<string, readonly FieldType[] | undefined>)[f.metric];
      if (!allowed) at(f, `unknown metric ${String(f.metric)}`);
      else if (!allowed.includes(f.type)) at(f, `metric ${f.metric} needs a field of type ${allowed.join('/')}`);
      if (metrics.has(f.metric)) at(f, `metric ${f.metric} appears twice`);
      metrics.add(f.metric);
      if (f.personal) at(f, 'a personal field cannot feed a metric');
    }
    if (f.showWhen) {
      const target = form.fields.find((g) => g.name === f.showWhen!.field);
      if (!target) at(f, `showWhen points at missing field ${f.showWhen.field}`);
      else if (target === f) at(f, 'showWhen points at itself');
      if (!f.showWhen.equals || f.showWhen.equals.length === 0) at(f, 'showWhen.equals is empty');
    }
  }
  return problems;
}

export class FormDefinitionError extends Error {
  override name = 'FormDefinitionError';
}

/** Throws FormDefinitionError listing every problem of an invalid definition; returns the form otherwise. */
export function validateDefinition<F extends FormDefinition>(form: F): F {
  const problems = definitionProblems(form);
  if (problems.length > 0) throw new FormDefinitionError(`INVALID_FORM_DEFINITION ${problems.join('; ')}`);
  return form;
}
