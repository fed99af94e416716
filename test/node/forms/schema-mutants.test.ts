// The forms engine's validation (src/forms/schema.ts) at its edges: the exact Chinese message each field type and
// bound gives, inclusive bounds, the photo key's shape, refused encodings, and a schema built once never reused
// for another request's context. Written against the survivors of a Stryker run (issue 22).
import { describe, expect, it } from 'vitest';
import type { FormContext } from '../../../src/forms/context.ts';
import { fieldSchema, validateAnswers } from '../../../src/forms/schema.ts';
import type { FieldDefinition } from '../../../src/forms/types.ts';
import { FORM_CONTEXT, testField, testForm } from '../../helpers/forms.ts';

const form = (fields: FieldDefinition[]) => testForm(fields);
const field = (f: Partial<FieldDefinition> & Pick<FieldDefinition, 'type'>) => testField(f);

const CTX: FormContext = { ...FORM_CONTEXT, campaign: { startDate: '2014-10-29', endDate: '2014-11-30', slogans: ['平安你我他'] } };

/** The one error of field x, or 'ok:<json of the stored answer>'. */
function outcome(f: Partial<FieldDefinition> & Pick<FieldDefinition, 'type'>, input: unknown, ctx: FormContext = CTX): string {
  const r = validateAnswers(form([field(f)]), input === undefined ? {} : { x: input }, ctx);
  if (r.ok) return `ok:${JSON.stringify(r.answers.x ?? r.personal.x)}`;
  expect(r.errors).toHaveLength(1);
  expect(r.errors[0]!.field).toBe('x');
  return r.errors[0]!.message;
}

describe('a required answer that is missing names the field and what to do', () => {
  const cases: [FieldDefinition['type'], string][] = [
    ['text', '请填写“某项”'],
    ['textarea', '请填写“某项”'],
    ['integer', '请填写“某项”'],
    ['date', '请填写“某项”'],
    ['datetime', '请填写“某项”'],
    ['phone', '请填写“某项”'],
    ['choice', '请选择“某项”'],
    ['boolean', '请选择“某项”'],
    ['cadre', '请选择“某项”'],
    ['place', '请选择“某项”'],
    ['unit', '请选择“某项”'],
    ['task', '请选择“某项”'],
    ['multichoice', '请至少选择一项“某项”'],
    ['photo', '请上传“某项”'],
  ];
  for (const [type, message] of cases) {
    it(`${type}: ${message}`, () => {
      expect(outcome({ type, required: true, options: [{ value: 'a', label: 'A' }] }, undefined)).toBe(message);
      expect(outcome({ type, required: true, options: [{ value: 'a', label: 'A' }] }, '  ')).toBe(message);
    });
  }

  it('an optional field left out is not in the answers, and a present one is', () => {
    expect(validateAnswers(form([field({ type: 'text' })]), {}, CTX)).toEqual({ ok: true, answers: {}, personal: {} });
    expect(validateAnswers(form([field({ type: 'text', required: true })]), { x: '有' }, CTX)).toEqual({ ok: true, answers: { x: '有' }, personal: {} });
  });
});

describe('text', () => {
  it('the default caps are 200 and 2000 characters, inclusive', () => {
    expect(outcome({ type: 'text' }, '字'.repeat(200))).toBe(`ok:"${'字'.repeat(200)}"`);
    expect(outcome({ type: 'text' }, '字'.repeat(201))).toBe('不能超过200个字，请精简');
    expect(outcome({ type: 'textarea' }, '字'.repeat(2000))).toBe(`ok:"${'字'.repeat(2000)}"`);
    expect(outcome({ type: 'textarea' }, '字'.repeat(2001))).toBe('不能超过2000个字，请精简');
  });

  it('a given max and min are inclusive and say the number', () => {
    expect(outcome({ type: 'text', min: 2, max: 3 }, '一二三')).toBe('ok:"一二三"');
    expect(outcome({ type: 'text', min: 2, max: 3 }, '一二')).toBe('ok:"一二"');
    expect(outcome({ type: 'text', min: 2, max: 3 }, '一')).toBe('至少填写2个字');
    expect(outcome({ type: 'textarea', max: 3 }, '一二三四')).toBe('不能超过3个字，请精简');
  });

  it('a min of 1 refuses nothing a present answer has', () => {
    expect(outcome({ type: 'text', min: 1 }, '一')).toBe('ok:"一"');
  });

  it('the first problem of a field is the one reported', () => {
    expect(validateAnswers(form([field({ type: 'text', min: 3, pattern: '^[0-9]+$' })]), { x: 'ab' }, CTX)).toEqual({
      ok: false,
      errors: [{ field: 'x', message: '至少填写3个字' }],
    });
  });

  it('a pattern without its own message says 格式不正确; patterns are Unicode-aware', () => {
    expect(outcome({ type: 'text', pattern: '^[0-9]+$' }, 'ab')).toBe('格式不正确');
    expect(outcome({ type: 'text', pattern: '^\\p{Script=Han}+$' }, '平安')).toBe('ok:"平安"');
    expect(outcome({ type: 'text', pattern: '^\\p{Script=Han}+$' }, 'ping')).toBe('格式不正确');
  });

  it('mojibake and lone surrogates are refused; real characters outside the BMP are kept', () => {
    const message = '含有无法识别的字符（可能是编码错误），请重新输入';
    expect(outcome({ type: 'text' }, 'a\uFFFDb')).toBe(message);
    expect(outcome({ type: 'text' }, 'a\uD800b')).toBe(message);
    expect(outcome({ type: 'text' }, 'a\uD800')).toBe(message);
    expect(outcome({ type: 'text' }, 'a\uDC00b')).toBe(message);
    expect(outcome({ type: 'text' }, '\uDC00')).toBe(message);
    expect(outcome({ type: 'textarea' }, 'x\uDFFF')).toBe(message);
    expect(outcome({ type: 'text' }, '\uDBFFx')).toBe(message);
    expect(outcome({ type: 'text' }, '路灯😀坏了')).toBe('ok:"路灯😀坏了"');
    expect(outcome({ type: 'text' }, '\uDBFF\uDFFF')).toBe('ok:"\uDBFF\uDFFF"');
  });

  it('a value that is not text says 请填写文字', () => {
    expect(outcome({ type: 'text' }, true)).toBe('请填写文字');
  });
});

describe('choices and lists', () => {
  it('multichoice bounds are inclusive and say the number', () => {
    const options = [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }, { value: 'c', label: 'C' }];
    expect(outcome({ type: 'multichoice', options, min: 2, max: 2 }, ['a'])).toBe('请至少选择2项');
    expect(outcome({ type: 'multichoice', options, min: 2, max: 2 }, ['a', 'b'])).toBe('ok:["a","b"]');
    expect(outcome({ type: 'multichoice', options, min: 2, max: 2 }, ['a', 'b', 'c'])).toBe('最多选择2项');
    expect(outcome({ type: 'multichoice', options }, ['a', 'b', 'c'])).toBe('ok:["a","b","c"]');
    expect(outcome({ type: 'multichoice', options, max: 1 }, ['c'])).toBe('ok:["c"]');
  });

  it('a multichoice value that is not a list of options says 请从给出的选项中选择', () => {
    expect(outcome({ type: 'multichoice', options: [{ value: 'a', label: 'A' }] }, { a: 1 })).toBe('请从给出的选项中选择');
  });

  it('hidden options are not offered, slogans come from the campaign', () => {
    expect(outcome({ type: 'choice', options: [{ value: 'a', label: 'A', hidden: true }, { value: 'b', label: 'B' }] }, 'a')).toBe('请从给出的选项中选择');
    expect(outcome({ type: 'choice', optionsFrom: 'slogans' }, 's1')).toBe('ok:"s1"');
    expect(outcome({ type: 'choice', optionsFrom: 'slogans' }, 's2')).toBe('请从给出的选项中选择');
  });

  it('cadres are stored as numbers, and listed fields say 请从列表中选择', () => {
    expect(outcome({ type: 'cadre' }, '7')).toBe('ok:7');
    expect(outcome({ type: 'unit' }, 'office')).toBe('请从列表中选择');
    expect(outcome({ type: 'task' }, 'other-task')).toBe('请从列表中选择');
    expect(outcome({ type: 'place' }, 'chencang-v1')).toBe('ok:"chencang-v1"');
  });

  it('a boolean that is not yes or no says 请选择“是”或“否”', () => {
    expect(outcome({ type: 'boolean' }, { yes: true })).toBe('请选择“是”或“否”');
  });
});

describe('integers', () => {
  it('without bounds, ±1 000 000 000 inclusive', () => {
    expect(outcome({ type: 'integer' }, '1000000000')).toBe('ok:1000000000');
    expect(outcome({ type: 'integer' }, '1000000001')).toBe('不能大于1000000000');
    expect(outcome({ type: 'integer' }, '-1000000000')).toBe('ok:-1000000000');
    expect(outcome({ type: 'integer' }, '-1000000001')).toBe('不能小于-1000000000');
  });

  it('given bounds are inclusive', () => {
    expect(outcome({ type: 'integer', min: 1, max: 10 }, '1')).toBe('ok:1');
    expect(outcome({ type: 'integer', min: 1, max: 10 }, '10')).toBe('ok:10');
    expect(outcome({ type: 'integer', min: 0 }, -1)).toBe('不能小于0');
  });

  it('text that is no number says 请填写整数', () => {
    expect(outcome({ type: 'integer' }, 'abc')).toBe('请填写整数');
  });
});

describe('dates and times', () => {
  it('date bounds are inclusive; today and the campaign window come from the context', () => {
    expect(outcome({ type: 'date', min: '2014-10-29', max: '2014-11-30' }, '2014-10-29')).toBe('ok:"2014-10-29"');
    expect(outcome({ type: 'date', min: '2014-10-29', max: '2014-11-30' }, '2014-11-30')).toBe('ok:"2014-11-30"');
    expect(outcome({ type: 'date', min: 'today' }, '2014-11-03')).toBe('不能早于今天');
    expect(outcome({ type: 'date', min: 'today' }, '2014-11-04')).toBe('ok:"2014-11-04"');
    expect(outcome({ type: 'date', min: 'campaign-start', max: 'campaign-end' }, '2014-10-28')).toBe('不能早于2014-10-29');
    expect(outcome({ type: 'date', min: 'campaign-start', max: 'campaign-end' }, '2014-12-01')).toBe('不能晚于2014-11-30');
    expect(outcome({ type: 'date', min: 'campaign-start', max: 'campaign-end' }, '2014-11-30')).toBe('ok:"2014-11-30"');
  });

  it('without a campaign the campaign bounds are not checked', () => {
    expect(outcome({ type: 'date', min: 'campaign-start', max: 'campaign-end' }, '2099-01-01', { today: '2014-11-04' })).toBe('ok:"2099-01-01"');
  });

  it('a date that is not text says the date message', () => {
    expect(outcome({ type: 'date' }, true)).toBe('请填写有效的日期，如 2014-11-04');
  });

  it('datetimes: hours below 24, minutes below 60, a real day, nothing around', () => {
    const message = '请填写有效的日期和时间，如 2014-11-04 09:30';
    expect(outcome({ type: 'datetime' }, '2014-11-04T23:59')).toBe('ok:"2014-11-04T23:59"');
    expect(outcome({ type: 'datetime' }, '2014-11-04T00:00')).toBe('ok:"2014-11-04T00:00"');
    expect(outcome({ type: 'datetime' }, '2014-11-04T24:00')).toBe(message);
    expect(outcome({ type: 'datetime' }, '2014-11-04T09:60')).toBe(message);
    expect(outcome({ type: 'datetime' }, '2014-02-30T09:30')).toBe(message);
    expect(outcome({ type: 'datetime' }, 'x2014-11-04T09:30')).toBe(message);
    expect(outcome({ type: 'datetime' }, '2014-11-04T09:30x')).toBe(message);
    expect(outcome({ type: 'datetime' }, '2014-11-04T9:30')).toBe(message);
    expect(outcome({ type: 'datetime' }, true)).toBe(message);
  });

  it('datetime bounds compare the day: the whole bound day is inside', () => {
    expect(outcome({ type: 'datetime', max: '2014-11-04' }, '2014-11-04T23:59')).toBe('ok:"2014-11-04T23:59"');
    expect(outcome({ type: 'datetime', max: '2014-11-04' }, '2014-11-05T00:00')).toBe('不能晚于2014-11-04');
    expect(outcome({ type: 'datetime', min: '2014-11-04' }, '2014-11-04T00:00')).toBe('ok:"2014-11-04T00:00"');
    expect(outcome({ type: 'datetime', min: '2014-11-04' }, '2014-11-03T23:59')).toBe('不能早于2014-11-04');
    // A bound written with a time still means its day.
    expect(outcome({ type: 'datetime', min: '2014-11-04T10:00' }, '2014-11-04T08:00')).toBe('ok:"2014-11-04T08:00"');
    expect(outcome({ type: 'datetime', max: '2014-11-04T10:00' }, '2014-11-04T12:00')).toBe('ok:"2014-11-04T12:00"');
    expect(outcome({ type: 'datetime', min: 'today' }, '2014-11-03T23:59')).toBe('不能早于今天');
    expect(outcome({ type: 'datetime', max: 'today' }, '2014-11-05T00:00')).toBe('不能晚于今天');
    expect(outcome({ type: 'datetime', max: 'today' }, '2014-11-04T23:59')).toBe('ok:"2014-11-04T23:59"');
  });
});

describe('phones and photos', () => {
  it('a phone is stored in its canonical form; something else says the phone message', () => {
    expect(outcome({ type: 'phone' }, '0917 321 2345')).toBe('ok:"0917-3212345"');
    expect(outcome({ type: 'phone' }, true)).toBe('请填写正确的手机号（11位，以1开头）或座机号（如 0917-3212345）');
  });

  const photo = (key: unknown) => outcome({ type: 'photo' }, key);
  it('a photo key is 8–121 lower-case characters, letters or digits first, and .jpg, .png or .webp', () => {
    expect(photo('abcdefgh.jpg')).toBe('ok:"abcdefgh.jpg"');
    expect(photo('0bc/ef_h-.png')).toBe('ok:"0bc/ef_h-.png"');
    expect(photo('abcdefgh.webp')).toBe('ok:"abcdefgh.webp"');
    expect(photo(`a${'b'.repeat(120)}.jpg`)).toBe(`ok:"a${'b'.repeat(120)}.jpg"`);
    for (const bad of ['abcdefg.jpg', `a${'b'.repeat(121)}.jpg`, 'Abcdefgh.jpg', 'abcDefgh.jpg', '/bcdefgh.jpg', '-bcdefgh.jpg', 'abcdefgh.gif', 'abcdefgh.jpgx', 'xabcdefgh.jpg?', 'abcd efgh.jpg', 'abcdefgh.jpeg', 'abcdefghjpg']) {
      expect(photo(bad), bad).toBe('照片无效，请重新选择');
    }
    expect(photo(7)).toBe('照片无效，请重新选择');
  });
});

describe('a schema built once is not reused for another context', () => {
  it("a 'today' bound follows each request's today", () => {
    for (const f of [field({ type: 'date', max: 'today' }), field({ type: 'date', min: 'today' }), field({ type: 'datetime', max: 'today' })]) {
      const def = form([f]);
      const day = f.type === 'datetime' ? '2014-11-04T09:30' : '2014-11-04';
      const first = validateAnswers(def, { x: day }, { today: '2014-11-04' }).ok;
      expect(first).toBe(true);
      expect(validateAnswers(def, { x: day }, { today: f.min ? '2014-11-05' : '2014-11-03' }).ok).toBe(false);
    }
  });

  it('listed options and slogans follow each request', () => {
    const cadre = form([field({ type: 'cadre' })]);
    expect(validateAnswers(cadre, { x: '7' }, CTX).ok).toBe(true);
    expect(validateAnswers(cadre, { x: '7' }, { cadres: [{ id: 8, name: '李四' }] }).ok).toBe(false);
    for (const type of ['place', 'unit', 'task'] as const) {
      const def = form([field({ type })]);
      const value = { place: 'chencang-v1', unit: 'police', task: 'police-unit-slogans' }[type];
      expect(validateAnswers(def, { x: value }, CTX).ok, type).toBe(true);
      expect(validateAnswers(def, { x: value }, {}).ok, type).toBe(false);
    }
    const slogans = form([field({ type: 'choice', optionsFrom: 'slogans' })]);
    expect(validateAnswers(slogans, { x: 's2' }, { campaign: { startDate: '2014-10-29', endDate: '2014-11-30', slogans: ['甲', '乙'] } }).ok).toBe(true);
    expect(validateAnswers(slogans, { x: 's2' }, CTX).ok).toBe(false);
  });

  it('a context-free field is built once per definition', () => {
    const f = field({ type: 'text', max: 5 });
    expect(fieldSchema(f)).toBe(fieldSchema(f, CTX));
    const g = field({ type: 'date', max: 'today' });
    expect(fieldSchema(g, CTX)).not.toBe(fieldSchema(g, CTX));
  });
});

describe('whole forms', () => {
  it('field errors come first in form order, then the unknown keys; transport keys are never unknown', () => {
    const def = form([
      { name: 'a', type: 'text', label: '甲', required: true },
      { name: 'b', type: 'integer', label: '乙' },
      { name: 'c', type: 'text', label: '丙', required: true },
    ]);
    const r = validateAnswers(def, { zz: 1, b: 'x', _token: 't', _hp: '' }, { unknown: 'reject' });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'a', message: '请填写“甲”' },
        { field: 'b', message: '请填写整数' },
        { field: 'c', message: '请填写“丙”' },
        { field: 'zz', message: '表单中没有这一项' },
      ],
    });
  });

  it('a key named like an Object method is an answer like any other', () => {
    const def = form([{ name: 'toString', type: 'text', label: '甲', required: true }]);
    expect(validateAnswers(def, {}, CTX)).toEqual({ ok: false, errors: [{ field: 'toString', message: '请填写“甲”' }] });
  });

  it('personal fields go apart; hidden fields are neither required nor kept', () => {
    const def = form([
      { name: 'reply', type: 'boolean', label: '回复' },
      { name: 'phone', type: 'phone', label: '电话', personal: true, required: true, showWhen: { field: 'reply', equals: ['yes'] } },
    ]);
    expect(validateAnswers(def, { reply: 'no', phone: '13800138000' }, CTX)).toEqual({ ok: true, answers: { reply: false }, personal: {} });
    expect(validateAnswers(def, { reply: 'yes', phone: '13800138000' }, CTX)).toEqual({ ok: true, answers: { reply: true }, personal: { phone: '13800138000' } });
  });
});
