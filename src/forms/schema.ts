// One FormDefinition as a valibot schema with Chinese messages, and the validation every submission
// goes through: {ok, answers, personal} or the errors field by field.
//
// Unknown fields: keys starting with '_' are transport (token, honeypot, turnstile) and always ignored.
// Other unknown keys are ignored by default (browsers send what the page holds) and rejected with
// `unknown: 'reject'` — the JSON API does that, so an integrator's typo is reported instead of lost.
// Fields hidden by showWhen (their condition not met) are dropped and never required.
import * as v from 'valibot';
import type { FieldError } from '../lib/errors.ts';
import { isValidDay } from '../lib/time.ts';
import { optionsFor, type FormContext } from './context.ts';
import { normalisePhone, normaliser, visibleFields } from './normalise.ts';
import { splitPersonal } from './personal.ts';
import type { Answers, FieldDefinition, FormDefinition } from './types.ts';

/** Hard caps when a definition gives no max: nobody types more on a phone, and it bounds storage. */
export const DEFAULT_MAX_LENGTH: Readonly<Record<'text' | 'textarea', number>> = { text: 200, textarea: 2000 };
const INTEGER_LIMIT = 1_000_000_000;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Photo values are keys the server gave the upload, never a client's path or URL. */
export const PHOTO_KEY = /^[a-z0-9][a-z0-9/_-]{7,120}\.(?:jpg|png|webp)$/;

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
const TODAY_MESSAGES = { min: '不能早于今天', max: '不能晚于今天' } as const;

export type AnySchema = v.GenericSchema<unknown, unknown>;

const num = (x: number | string | undefined): number | undefined => (typeof x === 'number' ? x : undefined);
const str = (x: number | string | undefined): string | undefined => (typeof x === 'string' ? x : undefined);

/** A date bound as a day: 'today' resolves through the context (unchecked without one). */
export function dateBound(bound: number | string | undefined, ctx: FormContext): string | undefined {
  if (bound === 'today') return ctx.today;
  if (bound === 'campaign-start') return ctx.campaign?.startDate;
  if (bound === 'campaign-end') return ctx.campaign?.endDate;
  return str(bound);
}

function isValidDateTime(s: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(s);
  return !!m && isValidDay(m[1]!) && Number(m[2]) < 24 && Number(m[3]) < 60;
}

/** The schema of one field's value once it is present (normalised, not blank). */
export function valueSchema(f: FieldDefinition, ctx: FormContext): AnySchema {
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
      return v.picklist(optionsFor(f, ctx).map((o) => o.value), MESSAGES.option) as AnySchema;
    case 'multichoice': {
      const items: v.PipeItem<string[], string[], v.BaseIssue<unknown>>[] = [];
      if (num(f.min) !== undefined) items.push(v.minLength(num(f.min)!, `请至少选择${num(f.min)}项`));
      if (num(f.max) !== undefined) items.push(v.maxLength(num(f.max)!, `最多选择${num(f.max)}项`));
      return v.pipe(v.array(v.picklist(optionsFor(f, ctx).map((o) => o.value), MESSAGES.option), MESSAGES.option), ...items) as AnySchema;
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
      // Cadre ids are numbers in answers (the normaliser reads the page's digits), strings in options.
      return v.picklist(optionsFor(f, ctx).map((o) => Number(o.value)), MESSAGES.listed) as AnySchema;
    case 'place':
    case 'unit':
    case 'task':
      return v.picklist(optionsFor(f, ctx).map((o) => o.value), MESSAGES.listed) as AnySchema;
  }
}

/**
 * Whether a field's schema reads nothing from the context (no listed options, no slogans, no 'today' or campaign
 * bound): such a schema is the same for every request and is built once per definition.
 */
function contextFree(f: FieldDefinition): boolean {
  if (f.type === 'cadre' || f.type === 'place' || f.type === 'unit' || f.type === 'task' || f.optionsFrom) return false;
  return typeof f.min !== 'string' && typeof f.max !== 'string';
}

/** Built schemas of context-free fields, by definition: a form version's definitions live as long as it is cached. */
const BUILT = new WeakMap<FieldDefinition, AnySchema>();

/** One field: normalise, then required-or-optional, then the typed value. */
export function fieldSchema(f: FieldDefinition, ctx: FormContext = {}): AnySchema {
  if (!contextFree(f)) return buildFieldSchema(f, ctx);
  let built = BUILT.get(f);
  if (!built) BUILT.set(f, (built = buildFieldSchema(f, ctx)));
  return built;
}

function buildFieldSchema(f: FieldDefinition, ctx: FormContext): AnySchema {
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
  // The schema holds only the visible fields, so its output is what the person answered and may keep.
  return { ok: true, ...splitPersonal(form, result.output as Record<string, unknown>) };
}

/** Error lists from several checks as one: a field's first error only, in form order; unknown fields and form-level errors last. */
export function mergeErrors(form: FormDefinition, ...lists: FieldError[][]): FieldError[] {
  const order = new Map(form.fields.map((f, i) => [f.name, i]));
  const seen = new Set<string>();
  const all: FieldError[] = [];
  for (const e of lists.flat()) {
    if (seen.has(e.field)) continue;
    seen.add(e.field);
    all.push(e);
  }
  // Unknown fields and form-level errors go last.
  return all.sort((a, b) => (order.get(a.field) ?? Infinity) - (order.get(b.field) ?? Infinity));
}
