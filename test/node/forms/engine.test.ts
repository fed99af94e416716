// The forms engine: validation with Chinese messages, personal data apart, definitions checked, projections.
import { describe, expect, it } from 'vitest';
import forms from '../../../forms/index.ts';
import { definitionProblems, validateDefinition } from '../../../src/forms/checks.ts';
import type { FormContext } from '../../../src/forms/context.ts';
import { formJsonSchema } from '../../../src/forms/json-schema.ts';
import { normalisePhone, visibleFields } from '../../../src/forms/normalise.ts';
import { metricValues, sheetColumns } from '../../../src/forms/projections.ts';
import { validateAnswers } from '../../../src/forms/schema.ts';
import type { FieldDefinition, FormDefinition } from '../../../src/forms/types.ts';
import { FORM_CONTEXT, testField, testForm } from '../../helpers/forms.ts';

const form = (fields: FieldDefinition[], extra: Partial<FormDefinition> = {}) => testForm(fields, extra);

const one = (field: Partial<FieldDefinition> & Pick<FieldDefinition, 'type'>) => form([testField(field)]);

const CTX: FormContext = FORM_CONTEXT;

describe('validateAnswers, field by field', () => {
  const cases: { name: string; field: Partial<FieldDefinition> & Pick<FieldDefinition, 'type'>; input: unknown; ok?: unknown; error?: string | RegExp }[] = [
    { name: 'text is trimmed', field: { type: 'text' }, input: '  你好  ', ok: '你好' },
    { name: 'required text missing', field: { type: 'text', required: true }, input: undefined, error: '请填写“某项”' },
    { name: 'required text blank', field: { type: 'text', required: true }, input: '   ', error: '请填写“某项”' },
    { name: 'optional blank text is left out', field: { type: 'text' }, input: '', ok: undefined },
    { name: 'text too long', field: { type: 'text', max: 5 }, input: '一二三四五六', error: '不能超过5个字，请精简' },
    { name: 'text default cap', field: { type: 'text' }, input: 'a'.repeat(201), error: /不能超过200个字/ },
    { name: 'textarea default cap', field: { type: 'textarea' }, input: 'a'.repeat(2001), error: /不能超过2000个字/ },
    { name: 'text too short', field: { type: 'text', min: 3 }, input: '一二', error: '至少填写3个字' },
    { name: 'text pattern', field: { type: 'text', pattern: '^[A-Z]+$', patternMessage: '只能是大写字母' }, input: 'abc', error: '只能是大写字母' },
    { name: 'control characters removed', field: { type: 'textarea' }, input: 'a\u0000b\r\nc', ok: 'ab\nc' },
    { name: 'text not a string', field: { type: 'text' }, input: { a: 1 }, error: '请填写文字' },
    { name: 'choice in options', field: { type: 'choice', options: [{ value: 'a', label: 'A' }] }, input: 'a', ok: 'a' },
    { name: 'choice not in options', field: { type: 'choice', options: [{ value: 'a', label: 'A' }] }, input: 'b', error: '请从给出的选项中选择' },
    { name: 'required choice missing', field: { type: 'choice', required: true, options: [{ value: 'a', label: 'A' }] }, input: undefined, error: '请选择“某项”' },
    { name: 'multichoice from one value', field: { type: 'multichoice', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }, input: 'b', ok: ['b'] },
    { name: 'multichoice deduplicated', field: { type: 'multichoice', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] }, input: ['a', 'b', 'a'], ok: ['a', 'b'] },
    { name: 'multichoice bad value', field: { type: 'multichoice', options: [{ value: 'a', label: 'A' }] }, input: ['a', 'z'], error: '请从给出的选项中选择' },
    { name: 'required multichoice empty', field: { type: 'multichoice', required: true, options: [{ value: 'a', label: 'A' }] }, input: [], error: '请至少选择一项“某项”' },
    ...(['yes', 'true', '1', true, 'YES'] as const).map((input) => ({ name: `boolean ${String(input)}`, field: { type: 'boolean' as const }, input, ok: true })),
    ...(['no', 'false', '0', false] as const).map((input) => ({ name: `boolean ${String(input)}`, field: { type: 'boolean' as const }, input, ok: false })),
    { name: 'boolean garbage', field: { type: 'boolean' }, input: 'maybe', error: '请选择“是”或“否”' },
    { name: 'required boolean missing', field: { type: 'boolean', required: true }, input: undefined, error: '请选择“某项”' },
    { name: 'integer from string', field: { type: 'integer' }, input: ' 42 ', ok: 42 },
    { name: 'integer from full-width digits', field: { type: 'integer' }, input: '１２', ok: 12 },
    { name: 'integer from number', field: { type: 'integer' }, input: 3, ok: 3 },
    { name: 'integer not whole', field: { type: 'integer' }, input: '1.5', error: '请填写整数' },
    { name: 'integer fraction number', field: { type: 'integer' }, input: 1.5, error: '请填写整数' },
    { name: 'integer below min', field: { type: 'integer', min: 1 }, input: '0', error: '不能小于1' },
    { name: 'integer above max', field: { type: 'integer', max: 10 }, input: '11', error: '不能大于10' },
    { name: 'date valid', field: { type: 'date' }, input: '2014-11-04', ok: '2014-11-04' },
    { name: 'impossible date 2014-02-30', field: { type: 'date' }, input: '2014-02-30', error: '请填写有效的日期，如 2014-11-04' },
    { name: 'date wrong format', field: { type: 'date' }, input: '2014/11/04', error: /有效的日期/ },
    { name: 'date before min', field: { type: 'date', min: '2014-10-29' }, input: '2014-10-01', error: '不能早于2014-10-29' },
    { name: 'date after max', field: { type: 'date', max: '2014-11-30' }, input: '2014-12-01', error: '不能晚于2014-11-30' },
    { name: 'date after today', field: { type: 'date', max: 'today' }, input: '2014-11-05', error: '不能晚于今天' },
    { name: 'date today is fine', field: { type: 'date', max: 'today' }, input: '2014-11-04', ok: '2014-11-04' },
    { name: 'datetime with space and seconds', field: { type: 'datetime' }, input: '2014-11-04 09:30:00', ok: '2014-11-04T09:30' },
    { name: 'datetime impossible hour', field: { type: 'datetime' }, input: '2014-11-04T25:00', error: /有效的日期和时间/ },
    { name: 'mobile phone', field: { type: 'phone' }, input: '138 0013 8000', ok: '13800138000' },
    { name: 'mobile with +86', field: { type: 'phone' }, input: '+86 13800138000', ok: '13800138000' },
    { name: 'landline with dash', field: { type: 'phone' }, input: '0917-3212345', ok: '0917-3212345' },
    { name: 'landline without dash', field: { type: 'phone' }, input: '09173212345', ok: '0917-3212345' },
    { name: 'Beijing landline', field: { type: 'phone' }, input: '01062345678', ok: '010-62345678' },
    { name: 'mobile starting 12', field: { type: 'phone' }, input: '12800138000', error: /正确的手机号/ },
    { name: 'mobile too short', field: { type: 'phone' }, input: '1380013800', error: /正确的手机号/ },
    { name: 'phone letters', field: { type: 'phone' }, input: 'call me', error: /正确的手机号/ },
    { name: 'cadre from context', field: { type: 'cadre' }, input: '7', ok: 7 },
    { name: 'cadre not in context', field: { type: 'cadre' }, input: '8', error: '请从列表中选择' },
    { name: 'place from context', field: { type: 'place' }, input: 'chencang-v1', ok: 'chencang-v1' },
    { name: 'place of another unit', field: { type: 'place' }, input: 'panlong-v1', error: '请从列表中选择' },
    { name: 'unit from context', field: { type: 'unit' }, input: 'police', ok: 'police' },
    { name: 'task from context', field: { type: 'task' }, input: 'police-unit-slogans', ok: 'police-unit-slogans' },
    { name: 'photo key', field: { type: 'photo' }, input: 'hazard-tip/2014-11-04/abcdefghij.jpg', ok: 'hazard-tip/2014-11-04/abcdefghij.jpg' },
    { name: 'photo path is refused', field: { type: 'photo' }, input: '../../etc/passwd', error: '照片无效，请重新选择' },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = validateAnswers(one(c.field), c.input === undefined ? {} : { x: c.input }, CTX);
      if (c.error !== undefined) {
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.errors).toHaveLength(1);
          expect(result.errors[0]!.field).toBe('x');
          if (typeof c.error === 'string') expect(result.errors[0]!.message).toBe(c.error);
          else expect(result.errors[0]!.message).toMatch(c.error);
        }
      } else {
        expect(result).toEqual({ ok: true, answers: c.ok === undefined ? {} : { x: c.ok }, personal: {} });
      }
    });
  }
});

describe('validateAnswers, whole forms', () => {
  const f = form([
    { name: 'title', type: 'text', label: '标题', required: true },
    { name: 'name', type: 'text', label: '姓名', personal: true },
    { name: 'phone', type: 'phone', label: '电话', personal: true },
    { name: 'reply', type: 'boolean', label: '需要回复' },
    { name: 'how', type: 'choice', label: '回复方式', required: true, options: [{ value: 'sms', label: '短信' }], showWhen: { field: 'reply', equals: ['yes'] } },
  ]);

  it('keeps personal fields apart from the answers', () => {
    const r = validateAnswers(f, { title: '路灯坏了', name: '李四', phone: '13912345678' });
    expect(r).toEqual({ ok: true, answers: { title: '路灯坏了' }, personal: { name: '李四', phone: '13912345678' } });
  });

  it('reports every field with an error, in form order', () => {
    const r = validateAnswers(f, { phone: 'abc', reply: 'yes' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toEqual(['title', 'phone', 'how']);
  });

  it('does not require or keep a field whose showWhen condition is not met', () => {
    expect(validateAnswers(f, { title: 't', reply: 'no', how: 'sms' })).toEqual({ ok: true, answers: { title: 't', reply: false }, personal: {} });
    expect(visibleFields(f, { reply: true }).has('how')).toBe(true);
    expect(visibleFields(f, {}).has('how')).toBe(false);
  });

  it('ignores unknown and transport keys by default, rejects unknown keys when asked', () => {
    expect(validateAnswers(f, { title: 't', extra: 1, _token: 'x' }).ok).toBe(true);
    const r = validateAnswers(f, { title: 't', extra: 1, _token: 'x' }, { unknown: 'reject' });
    expect(r).toEqual({ ok: false, errors: [{ field: 'extra', message: '表单中没有这一项' }] });
  });

  it('extracts metric columns', () => {
    const m = form([
      { name: 's', type: 'choice', label: 'S', options: [{ value: 'satisfied', label: '满意' }], metric: 'satisfaction' },
      { name: 'a', type: 'boolean', label: 'A', metric: 'aware' },
      { name: 'p', type: 'boolean', label: 'P', metric: 'participated' },
      { name: 'c', type: 'cadre', label: 'C', metric: 'cadre' },
      { name: 't', type: 'task', label: 'T', metric: 'task' },
      { name: 'q', type: 'integer', label: 'Q', metric: 'quantity' },
    ]);
    const r = validateAnswers(m, { s: 'satisfied', a: 'yes', p: 'no', c: '7', t: 'police-unit-slogans', q: '3' }, CTX);
    expect(r.ok).toBe(true);
    if (r.ok) expect(metricValues(m, r.answers)).toEqual({ satisfaction: 'satisfied', aware: true, participated: false, cadreId: 7, taskId: 'police-unit-slogans', quantity: 3 });
    expect(metricValues(m, {})).toEqual({ satisfaction: null, aware: null, participated: null, cadreId: null, taskId: null, quantity: null });
  });
});

describe('definitions', () => {
  it("a 'today' bound is not checked without a today in the context", () => {
    expect(validateAnswers(one({ type: 'date', max: 'today' }), { x: '2099-01-01' }).ok).toBe(true);
    expect(definitionProblems(one({ type: 'date', min: '2014-01-01', max: 'today' }))).toEqual([]);
    expect(definitionProblems(one({ type: 'date', max: 'tomorrow' })).join()).toMatch(/not YYYY-MM-DD/);
  });

  it('every form in forms/ passes validateDefinition and ids are unique', () => {
    for (const f of forms) expect(definitionProblems(f), f.id).toEqual([]);
    expect(new Set(forms.map((f) => f.id)).size).toBe(forms.length);
    for (const id of ['mass-feedback', 'hazard-tip', 'deputy-suggestion']) expect(forms.find((f) => f.id === id)?.audience).toBe('public');
  });

  const broken: { name: string; fields: unknown[]; problem: RegExp }[] = [
    { name: 'duplicate field', fields: [{ name: 'a', type: 'text', label: 'A' }, { name: 'a', type: 'text', label: 'A2' }], problem: /duplicate field name/ },
    { name: 'empty option list', fields: [{ name: 'a', type: 'choice', label: 'A', options: [] }], problem: /option list is empty/ },
    { name: 'missing option list', fields: [{ name: 'a', type: 'multichoice', label: 'A' }], problem: /option list is empty/ },
    { name: 'unknown type', fields: [{ name: 'a', type: 'colour', label: 'A' }], problem: /unknown type colour/ },
    { name: 'showWhen to a missing field', fields: [{ name: 'a', type: 'text', label: 'A', showWhen: { field: 'b', equals: ['x'] } }], problem: /showWhen points at missing field b/ },
    { name: 'metric on the wrong type', fields: [{ name: 'a', type: 'text', label: 'A', metric: 'aware' }], problem: /metric aware needs a field of type boolean/ },
    { name: 'personal metric', fields: [{ name: 'a', type: 'boolean', label: 'A', metric: 'aware', personal: true }], problem: /personal field cannot feed a metric/ },
    { name: 'bad pattern', fields: [{ name: 'a', type: 'text', label: 'A', pattern: '([' }], problem: /pattern is not a valid/ },
    { name: 'reserved name', fields: [{ name: '_token', type: 'text', label: 'A' }], problem: /field name/ },
    { name: 'no fields', fields: [], problem: /has no fields/ },
  ];
  for (const b of broken) {
    it(`rejects a definition with ${b.name}`, () => {
      const f = form(b.fields as FieldDefinition[]);
      expect(definitionProblems(f).join('\n')).toMatch(b.problem);
      expect(() => validateDefinition(f)).toThrow(/INVALID_FORM_DEFINITION/);
    });
  }
});

describe('projections', () => {
  const hazardTip = forms.find((f) => f.id === 'hazard-tip')!;

  it('sheet columns leave personal fields and sheetColumn false out', () => {
    const cols = sheetColumns(hazardTip);
    expect(cols.map((c) => c.name)).toEqual(['category', 'place', 'description', 'noticedOn']);
    expect(cols[0]!.header).toBe('类别');
    for (const f of forms) for (const c of sheetColumns(f)) expect(c.field.personal, `${f.id}.${c.name}`).toBeFalsy();
  });

  it('JSON Schema lists fields with titles, options and required', () => {
    const schema = formJsonSchema(forms.find((f) => f.id === 'mass-feedback')!) as {
      type: string;
      required: string[];
      properties: Record<string, { enum?: string[]; type?: string; title?: string }>;
    };
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['satisfaction', 'aware', 'participated']);
    expect(schema.properties.satisfaction!.enum).toEqual(['satisfied', 'basically_satisfied', 'dissatisfied', 'unknown']);
    expect(schema.properties.aware!.type).toBe('boolean');
    expect(schema.properties.opinion!.title).toBe('您对平安建设和政法工作的意见和建议');
  });

  it('normalises phone numbers', () => {
    expect(normalisePhone('１３８００１３８０００')).toBe('13800138000');
    expect(normalisePhone('(0917)3212345')).toBe('0917-3212345');
    expect(normalisePhone('0917-3212345-801')).toBe('0917-3212345-801');
    expect(normalisePhone('110')).toBeUndefined();
  });
});

describe('the three public forms', () => {
  const byId = (id: string) => forms.find((f) => f.id === id)!;
  const cases: { form: string; input: Record<string, unknown>; ctx?: FormContext; errors?: string[]; answers?: Record<string, unknown>; personal?: Record<string, unknown> }[] = [
    {
      form: 'mass-feedback',
      input: { satisfaction: 'basically_satisfied', aware: 'yes', participated: 'no', opinion: '路灯不亮', name: '王五', phone: '13700000000' },
      answers: { satisfaction: 'basically_satisfied', aware: true, participated: false, opinion: '路灯不亮' },
      personal: { name: '王五', phone: '13700000000' },
    },
    { form: 'mass-feedback', input: {}, errors: ['satisfaction', 'aware', 'participated'] },
    { form: 'mass-feedback', input: { satisfaction: '满意', aware: 'yes', participated: 'yes', phone: '123' }, errors: ['satisfaction', 'phone'] },
    { form: 'mass-feedback', input: { satisfaction: 'satisfied', aware: 'yes', participated: 'yes', opinion: '长'.repeat(1001) }, errors: ['opinion'] },
    {
      form: 'hazard-tip',
      input: { category: 'rental-housing', place: '中山东路12号', description: '消防通道被杂物堵塞', noticedOn: '2014-11-03' },
      answers: { category: 'rental-housing', place: '中山东路12号', description: '消防通道被杂物堵塞', noticedOn: '2014-11-03' },
      personal: {},
    },
    { form: 'hazard-tip', input: { category: 'fire', place: '某', description: '短', noticedOn: '2014-02-30' }, errors: ['place', 'description', 'noticedOn'] },
    { form: 'hazard-tip', input: { category: 'aliens', place: '中山东路', description: '消防通道被堵', contactPhone: '1234' }, errors: ['category', 'contactPhone'] },
    {
      form: 'deputy-suggestion',
      input: { identity: 'npc-deputy', name: '赵六', delegation: '陈仓镇代表团', subject: '加强校园周边治安', suggestion: '建议在上下学时段增加巡逻警力。', department: 'police', phone: '0917-3212345' },
      ctx: { units: [{ code: 'police', name: '金台公安分局' }] },
      answers: { identity: 'npc-deputy', delegation: '陈仓镇代表团', subject: '加强校园周边治安', suggestion: '建议在上下学时段增加巡逻警力。', department: 'police' },
      personal: { name: '赵六', phone: '0917-3212345' },
    },
    { form: 'deputy-suggestion', input: { identity: 'mayor', department: 'nowhere' }, ctx: { units: [] }, errors: ['identity', 'name', 'delegation', 'subject', 'suggestion', 'department', 'phone'] },
  ];
  for (const c of cases) {
    it(`${c.form}: ${c.errors ? `errors on ${c.errors.join(', ')}` : 'valid answers'}`, () => {
      const r = validateAnswers(byId(c.form), c.input, c.ctx);
      if (c.errors) {
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.errors.map((e) => e.field)).toEqual(c.errors);
          for (const e of r.errors) expect(e.message).toMatch(/[\u4e00-\u9fff]/);
        }
      } else {
        expect(r).toEqual({ ok: true, answers: c.answers, personal: c.personal });
      }
    });
  }
});
