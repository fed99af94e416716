// Personal data (src/forms/personal.ts): what is stored apart, and exactly what a unit or a leader sees of a name,
// a phone, an address or free text, against what the office sees (found by mutation testing, issue 22).
import { describe, expect, it } from 'vitest';
import { maskName, maskPersonal, maskPhone, maskText, shownAnswer, shownAnswers, splitPersonal } from '../../../src/forms/personal.ts';
import type { FieldDefinition, FormDefinition } from '../../../src/forms/types.ts';

const FIELDS: FieldDefinition[] = [
  { name: 'name', type: 'text', label: '姓名', personal: true },
  { name: 'phone', type: 'phone', label: '电话', personal: true },
  { name: 'place', type: 'text', label: '地点' },
  { name: 'detail', type: 'textarea', label: '情况' },
  { name: 'count', type: 'integer', label: '人数' },
  { name: 'known', type: 'boolean', label: '知晓' },
  { name: 'kind', type: 'choice', label: '类别', options: [{ value: 'fire', label: '消防1234567号' }] },
];
const FORM: FormDefinition = { id: 'f', version: 1, title: 'F', intro: '', audience: 'public', fields: FIELDS };
const field = (name: string) => FIELDS.find((f) => f.name === name)!;

describe('splitPersonal', () => {
  it('stores personal answers apart, keeps every other answer the form has (0 and false too), drops the rest', () => {
    expect(splitPersonal(FORM, { name: '张三', phone: '13812341234', place: '东风路', count: 0, known: false, other: 'x', detail: undefined })).toStrictEqual({
      answers: { place: '东风路', count: 0, known: false },
      personal: { name: '张三', phone: '13812341234' },
    });
    // An unanswered field is in neither part, not even as undefined.
    expect(splitPersonal(FORM, { name: undefined, place: undefined })).toStrictEqual({ answers: {}, personal: {} });
  });
});

describe('what a unit or a leader sees', () => {
  const cases: { name: string; got: () => string; expected: string }[] = [
    { name: 'a one-character name', got: () => maskName('张'), expected: '张**' },
    { name: 'a two-character name', got: () => maskName('张三'), expected: '张**' },
    { name: 'a three-character name', got: () => maskName('王小明'), expected: '王**' },
    { name: 'a five-character name', got: () => maskName('司马相如文'), expected: '司****' },
    { name: 'a name typed with spaces', got: () => maskName('  李四 '), expected: '李**' },
    { name: 'a blank name', got: () => maskName('   '), expected: '' },
    { name: 'a name starting with a rare character (two UTF-16 units)', got: () => maskName('𠀋一'), expected: '𠀋**' },
    { name: 'a mobile', got: () => maskPhone(' 13812341234 '), expected: '138****1234' },
    { name: 'twelve digits are no mobile', got: () => maskPhone('138123412345'), expected: '13********45' },
    { name: 'a leading 0 is no mobile', got: () => maskPhone('013812341234'), expected: '01********34' },
    { name: 'a landline with a three-digit area code', got: () => maskPhone('029-88881234'), expected: '029-****1234' },
    { name: 'a landline with a four-digit area code', got: () => maskPhone('0917-3212345'), expected: '0917-***2345' },
    { name: 'a landline with an extension, which is left out', got: () => maskPhone('0917-3212345-801'), expected: '0917-***2345' },
    { name: 'a five-digit area code is no landline', got: () => maskPhone('09171-3212345'), expected: '09*********45' },
    { name: 'a landline after a country code', got: () => maskPhone('86-0917-3212345'), expected: '86***********45' },
    { name: 'a landline with more after it', got: () => maskPhone('0917-3212345转8'), expected: '09**********转8' },
    { name: 'an international number', got: () => maskPhone('+8613812341234'), expected: '+8**********34' },
    { name: 'a short number, all stars', got: () => maskPhone('110'), expected: '***' },
    { name: 'four digits, all stars', got: () => maskPhone('1234'), expected: '****' },
    { name: 'five digits', got: () => maskPhone('12345'), expected: '12*45' },
    { name: 'an address', got: () => maskText('  东风路12号院 '), expected: '东风路****' },
    { name: 'an address of five characters', got: () => maskText('东风路口北'), expected: '东风路****' },
    { name: 'an address of four characters, as a name', got: () => maskText('东风路口'), expected: '东***' },
    { name: 'an address of three characters, as a name', got: () => maskText('东风路'), expected: '东**' },
  ];
  for (const c of cases) it(c.name, () => expect(c.got()).toBe(c.expected));

  it('a personal value by its type: phones as phones, short text as a name, long text as an address, lists joined', () => {
    expect(['', undefined, null].map((v) => maskPersonal('text', v))).toEqual(['', '', '']);
    expect(maskPersonal('phone', '13812341234')).toBe('138****1234');
    expect(maskPersonal('text', '欧阳娜娜')).toBe('欧***');
    expect(maskPersonal('text', '13812341234')).toBe('138****');
    expect(maskPersonal('textarea', ['东风路', '12号'])).toBe('东风路****');
    expect(maskPersonal('multichoice', ['甲', '乙'])).toBe('甲**');
    // Joined with 、 before masking: three one-character answers make five characters, masked as text.
    expect(maskPersonal('multichoice', ['张', '王', '李'])).toBe('张、王****');
    expect(maskPersonal('integer', 12)).toBe('1**');
  });
});

describe('shownAnswer: pages and exports', () => {
  it('a personal answer masked for a unit, as typed for the office', () => {
    expect(shownAnswer(field('phone'), '13812341234', {}, false)).toBe('138****1234');
    expect(shownAnswer(field('phone'), '13812341234', {}, true)).toBe('13812341234');
    expect(shownAnswer(field('name'), '张三', {}, false)).toBe('张**');
  });

  it("free text with the digit runs a resident typed into it masked for a unit, not for the office", () => {
    expect(shownAnswer(field('place'), '东风路12号 电话13812341234', {}, false)).toBe('东风路12号 电话***********');
    expect(shownAnswer(field('detail'), '房东0917-3212345', {}, false)).toBe('房东****-*******');
    expect(shownAnswer(field('detail'), '房东0917-3212345', {}, true)).toBe('房东0917-3212345');
  });

  it('other answers as labels, their digits left alone: a count is not a phone number', () => {
    expect(shownAnswer(field('count'), 12345678, {}, false)).toBe('12345678');
    expect(shownAnswer(field('kind'), 'fire', {}, false)).toBe('消防1234567号');
    expect(shownAnswer(field('known'), true, {}, false)).toBe('是');
  });
});

describe('shownAnswers: the API', () => {
  const answers = { place: '东风路 13812341234', detail: '编号1234567', count: 12345678, kind: 'fire' };

  it('gives the office the stored answers themselves', () => {
    expect(shownAnswers(FORM, answers, true)).toBe(answers);
  });

  it('masks digit runs in free text for a unit, and nothing else; the stored answers are untouched', () => {
    expect(shownAnswers(FORM, answers, false)).toEqual({ place: '东风路 ***********', detail: '编号*******', count: 12345678, kind: 'fire' });
    expect(answers.place).toBe('东风路 13812341234');
    // A field not answered stays out.
    expect(Object.keys(shownAnswers(FORM, { count: 1 }, false))).toEqual(['count']);
  });
});
