// What the office may change in a published form, checked field by field in Chinese: the engine's definition
// checks (src/forms/checks.ts, English for programmers) translated, and the guards that keep the ranking, the
// personal-data rules and the services that read answers working across versions.
import type { FieldError } from '../lib/errors.ts';
import { definitionProblems, FIELD_TYPES } from './checks.ts';
import type { FieldDefinition, FormDefinition } from './types.ts';

/** Answers the services read by name (hazards from a tip or ledger row, suggestions, patrol teams): never removed or retyped. */
export const SERVICE_FIELDS: Readonly<Record<string, readonly string[]>> = {
  'hazard-tip': ['category', 'place', 'description', 'photo'],
  'hazard-ledger': ['category', 'village', 'address', 'description', 'handling', 'fixNote', 'plan', 'deadline', 'otherDepartments'],
  'deputy-suggestion': ['identity', 'delegation', 'subject', 'suggestion', 'department'],
  'patrol-team': ['place', 'members'],
};

export const TYPE_LABELS: Readonly<Record<string, string>> = {
  text: '单行文字', textarea: '多行文字', choice: '单选', multichoice: '多选', boolean: '是/否', date: '日期', datetime: '日期和时间',
  integer: '整数', phone: '电话', photo: '照片', cadre: '本单位干部', place: '村（社区）', unit: '单位', task: '活动任务',
};

/** Why a field of the published version is protected, or undefined when the office may remove or retype it. */
export function protectedBecause(formId: string, f: FieldDefinition): string | undefined {
  if (f.metric) return '用于每日排名';
  if (f.personal) return '含个人信息';
  if (SERVICE_FIELDS[formId]?.includes(f.name)) return '系统要读取这一项';
  return undefined;
}

const TRANSLATIONS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^id must be kebab-case$/, () => '表单编号只能用小写字母、数字和连字符'],
  [/^title is empty$/, () => '请填写表单标题'],
  [/^unknown audience/, () => '填写对象只能是“群众”或“单位”'],
  [/^has no fields$/, () => '表单至少要有一个问题'],
  [/^field name must be/, () => '问题编号须以小写字母开头，只用字母和数字（如 smokeAlarm）'],
  [/^duplicate field name$/, () => '问题编号重复'],
  [/^unknown type (.*)$/, (m) => `未知的题型“${m[1]}”`],
  [/^label is empty$/, () => '请填写问题'],
  [/^option list is empty$/, () => '请至少给出一个选项'],
  [/^duplicate option value$/, () => '选项编号重复'],
  [/^option without value or label$/, () => '每个选项都要有编号和文字'],
  [/^options are only for/, () => '只有单选和多选题可以设置选项'],
  [/^min is greater than max$/, () => '最小值大于最大值'],
  [/^date bound/, () => '日期范围须为 YYYY-MM-DD、today、campaign-start 或 campaign-end'],
  [/^min\/max must be numbers$/, () => '最小值和最大值须为数字'],
  [/^pattern is not a valid/, () => '格式规则（正则表达式）无效'],
  [/^unknown metric/, () => '未知的排名指标'],
  [/^metric (\S+) needs a field of type/, () => '这个排名指标不能用于这种题型'],
  [/^metric (\S+) appears twice$/, () => '同一排名指标只能对应一个问题'],
  [/^a personal field cannot feed a metric$/, () => '个人信息不能用于排名'],
  [/^showWhen points at missing field (.*)$/, (m) => `显示条件引用的问题“${m[1]}”不存在`],
  [/^showWhen points at itself$/, () => '显示条件不能引用本题'],
  [/^showWhen.equals is empty$/, () => '显示条件至少要有一个值'],
];

function translate(message: string): string {
  for (const [re, say] of TRANSLATIONS) {
    const m = re.exec(message);
    if (m) return say(m);
  }
  return message;
}

/** A problem of definitionProblems() as a field error: `fields[i]` for a field, `definition` for the form. */
function toFieldError(form: FormDefinition, problem: string): FieldError {
  const m = /^([^.:]*)(?:\.([^:]*))?: (.*)$/.exec(problem);
  if (!m) return { field: 'definition', message: problem };
  const [, , name, msg] = m;
  if (name === undefined) return { field: 'definition', message: translate(msg!) };
  const i = form.fields.findIndex((f) => f.name === name);
  return { field: i >= 0 ? `fields[${i}]` : 'definition', message: `${name}：${translate(msg!)}` };
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The shape an edit must have before the engine can look at it (types of the keys it reads). */
function shapeErrors(d: unknown): FieldError[] {
  if (!isObject(d)) return [{ field: 'definition', message: '表单定义须为 JSON 对象' }];
  const errors: FieldError[] = [];
  if (typeof d.title !== 'string') errors.push({ field: 'title', message: '请填写表单标题' });
  if (d.intro !== undefined && typeof d.intro !== 'string') errors.push({ field: 'intro', message: '说明须为文字' });
  if (!Array.isArray(d.fields)) return [...errors, { field: 'fields', message: '表单至少要有一个问题' }];
  if (d.fields.length > 200) errors.push({ field: 'fields', message: '一个表单最多 200 个问题' });
  d.fields.forEach((f, i) => {
    if (!isObject(f)) return errors.push({ field: `fields[${i}]`, message: '问题须为 JSON 对象' });
    if (typeof f.name !== 'string') errors.push({ field: `fields[${i}].name`, message: '请填写问题编号' });
    if (typeof f.type !== 'string' || !FIELD_TYPES.includes(f.type as never)) errors.push({ field: `fields[${i}].type`, message: '请选择题型' });
    if (typeof f.label !== 'string') errors.push({ field: `fields[${i}].label`, message: '请填写问题' });
    for (const k of ['help', 'placeholder', 'pattern', 'patternMessage'] as const) if (f[k] !== undefined && typeof f[k] !== 'string') errors.push({ field: `fields[${i}].${k}`, message: '须为文字' });
    if (f.options !== undefined) {
      if (!Array.isArray(f.options) || f.options.some((o) => !isObject(o) || typeof o.value !== 'string' || typeof o.label !== 'string'))
        errors.push({ field: `fields[${i}].options`, message: '每个选项都要有编号和文字' });
    }
    if (f.showWhen !== undefined && (!isObject(f.showWhen) || typeof f.showWhen.field !== 'string' || !Array.isArray(f.showWhen.equals)))
      errors.push({ field: `fields[${i}].showWhen`, message: '显示条件格式不正确' });
  });
  return errors;
}

export type EditResult = { ok: true; form: FormDefinition } | { ok: false; errors: FieldError[] };

/**
 * Checks `edited` as the next version of `current`. `answered` lists, per field, the option values that have
 * answers: such an option may be hidden (`hidden: true`) but not deleted.
 */
export function editProblems(current: FormDefinition, edited: unknown, answered: ReadonlyMap<string, ReadonlySet<string>> = new Map()): EditResult {
  const shape = shapeErrors(edited);
  if (shape.length > 0) return { ok: false, errors: shape };
  const d = edited as Record<string, unknown>;
  // The form's identity and audience are not the office's to change: which route serves it depends on them.
  const form: FormDefinition = { ...(d as unknown as FormDefinition), id: current.id, version: current.version + 1, audience: current.audience };
  const errors: FieldError[] = definitionProblems(form).map((p) => toFieldError(form, p));
  if (d.audience !== undefined && d.audience !== current.audience) errors.push({ field: 'audience', message: '不能更改表单的填写对象（群众或单位）' });
  const byName = new Map(form.fields.map((f, i) => [f.name, { f, i }]));
  current.fields.forEach((old, oi) => {
    const now = byName.get(old.name);
    const why = protectedBecause(current.id, old);
    if (!now) {
      if (why) errors.push({ field: `fields[${oi}]`, message: `“${old.label}”${why}，不能删除（可以修改文字和说明）` });
      return;
    }
    const at = `fields[${now.i}]`;
    if (why && now.f.type !== old.type) errors.push({ field: `${at}.type`, message: `“${old.label}”${why}，不能改为${TYPE_LABELS[now.f.type] ?? now.f.type}` });
    if (why && now.f.metric !== old.metric) errors.push({ field: `${at}.metric`, message: `“${old.label}”的排名指标不能更改` });
    if (!!now.f.personal !== !!old.personal) errors.push({ field: `${at}.personal`, message: `“${old.label}”是否属于个人信息不能更改` });
    const had = answered.get(old.name);
    if (had && old.options) {
      const values = new Set((now.f.options ?? []).map((o) => o.value));
      for (const o of old.options) {
        if (had.has(o.value) && !values.has(o.value)) errors.push({ field: `${at}.options`, message: `选项“${o.label}”已有回答，不能删除，请改为隐藏` });
      }
    }
  });
  const seen = new Set<string>();
  return errors.length > 0 ? { ok: false, errors: errors.filter((e) => !seen.has(e.field + e.message) && seen.add(e.field + e.message)) } : { ok: true, form };
}
