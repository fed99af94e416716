// Raw answers made regular (src/forms/normalise.ts), value by value: what each field type's normaliser gives back
// exactly, canonical phone numbers, and which fields a showWhen chain shows. Written against the survivors of a
// Stryker run (issue 22).
import { describe, expect, it } from 'vitest';
import { normalisePhone, normaliser, visibleFields } from '../../../src/forms/normalise.ts';
import type { FieldDefinition, FormDefinition } from '../../../src/forms/types.ts';

const of = (type: FieldDefinition['type']) => normaliser({ name: 'x', label: 'X', type } as FieldDefinition);

describe('text and the other one-value fields', () => {
  const text = of('text');
  it('trims, strips invisible characters, and makes blank undefined', () => {
    expect(text('  路灯  ')).toBe('路灯');
    expect(text('\u200b路\u202e灯\u0007')).toBe('路灯');
    expect(text('   ')).toBeUndefined();
    expect(text('\u200b')).toBeUndefined();
    expect(text('')).toBeUndefined();
  });

  it('from a list takes the first value given, skipping empty ones', () => {
    expect(text(['', 'a', 'b'])).toBe('a');
    expect(text([undefined, ' b '])).toBe('b');
    expect(text([])).toBeUndefined();
    expect(text(['', ''])).toBeUndefined();
  });

  it('a finite number becomes its text; other values are left for the schema to refuse', () => {
    expect(text(42)).toBe('42');
    expect(text(0)).toBe('0');
    expect(Number.isNaN(text(Number.NaN))).toBe(true);
    expect(text(Infinity)).toBe(Infinity);
    expect(text(true)).toBe(true);
    expect(text(null)).toBeNull();
    expect(text(undefined)).toBeUndefined();
    const obj = { a: 1 };
    expect(text(obj)).toBe(obj);
    for (const type of ['textarea', 'choice', 'date', 'phone', 'photo', 'place', 'unit', 'task'] as const) expect(of(type)(' v ')).toBe('v');
  });
});

describe('booleans', () => {
  const bool = of('boolean');
  it('yes/no in every spelling the forms send', () => {
    for (const s of ['yes', 'YES', 'Yes', 'true', 'TRUE', '1', '是', ' 是 ']) expect(bool(s), s).toBe(true);
    for (const s of ['no', 'No', 'false', 'FALSE', '0', '否']) expect(bool(s), s).toBe(false);
    expect(bool(true)).toBe(true);
    expect(bool(false)).toBe(false);
    expect(bool(1)).toBe(true);
    expect(bool(0)).toBe(false);
    expect(bool(['', 'no'])).toBe(false);
  });

  it('anything else is left as it came, blank as undefined', () => {
    expect(bool('maybe')).toBe('maybe');
    // Names of Object.prototype's members are words like any other, not functions (the lookup is lower-cased).
    for (const s of ['constructor', '__proto__', 'valueof', 'Constructor']) expect(bool(s), s).toBe(s);
    expect(bool(2)).toBe('2');
    expect(bool('')).toBeUndefined();
    expect(bool(undefined)).toBeUndefined();
    expect(bool(null)).toBeNull();
  });
});

describe('integers and cadre ids', () => {
  for (const type of ['integer', 'cadre'] as const) {
    const int = of(type);
    it(`${type}: digits, full-width digits, a sign, thousands separators and spaces`, () => {
      expect(int('42')).toBe(42);
      expect(int('１２３')).toBe(123);
      expect(int('０９')).toBe(9);
      expect(int('+5')).toBe(5);
      expect(int('-5')).toBe(-5);
      expect(int('1,000')).toBe(1000);
      expect(int('1，000，000')).toBe(1000000);
      expect(int('1 000')).toBe(1000);
      expect(int('123456789012345')).toBe(123456789012345);
      expect(int(7)).toBe(7);
      expect(int(1.5)).toBe(1.5);
    });

    it(`${type}: what is not a whole number is left as typed`, () => {
      expect(int('1234567890123456')).toBe('1234567890123456');
      expect(int('1.5')).toBe('1.5');
      expect(int('a12')).toBe('a12');
      expect(int('12a')).toBe('12a');
      expect(int('+-1')).toBe('+-1');
      expect(int('')).toBeUndefined();
      expect(int(true)).toBe(true);
      expect(int(['', '3'])).toBe(3);
    });
  }
});

describe('multichoice', () => {
  const list = of('multichoice');
  it('one value or many, trimmed, each once, in the order given', () => {
    expect(list('a')).toEqual(['a']);
    expect(list([' b ', 'a', 'b', '', 'a'])).toEqual(['b', 'a']);
    expect(list([3, '3'])).toEqual(['3']);
  });

  it('nothing chosen is undefined', () => {
    expect(list(undefined)).toBeUndefined();
    expect(list(null)).toBeUndefined();
    expect(list([])).toBeUndefined();
    expect(list(['', '  '])).toBeUndefined();
    expect(list('')).toBeUndefined();
  });
});

describe('datetimes', () => {
  const dt = of('datetime');
  it('a space or T, with or without seconds, becomes the datetime-local form', () => {
    expect(dt('2014-11-04 09:30')).toBe('2014-11-04T09:30');
    expect(dt('2014-11-04T09:30')).toBe('2014-11-04T09:30');
    expect(dt(' 2014-11-04 09:30:59 ')).toBe('2014-11-04T09:30');
    expect(dt('2014-11-04 09:30:59.123')).toBe('2014-11-04T09:30');
  });

  it('anything else is left as typed', () => {
    for (const s of ['2014-11-04', '2014-11-04  09:30', '2014-11-04 9:30', '2014-11-04 09:30:5', '2014-11-04 09:30:00.', 'x2014-11-04 09:30', '2014-11-04 09:30x', '2014-11-04_09:30']) expect(dt(s), s).toBe(s);
    expect(dt('')).toBeUndefined();
    expect(dt(5)).toBe('5');
  });
});

describe('phone numbers', () => {
  it('mobiles: 11 digits from 13 to 19, written any common way', () => {
    const cases: [string, string][] = [
      ['13800138000', '13800138000'],
      ['19912345678', '19912345678'],
      ['138 0013 8000', '13800138000'],
      ['138-0013-8000', '138-0013-8000'],
      ['+86 138 0013 8000', '13800138000'],
      ['+8613800138000', '13800138000'],
      ['8613800138000', '13800138000'],
      ['86-13800138000', '13800138000'],
      ['+86-13800138000', '13800138000'],
      ['１３８００１３８０００', '13800138000'],
    ];
    for (const [input, out] of cases) expect(normalisePhone(input) ?? null, input).toBe(input === '138-0013-8000' ? null : out);
  });

  it('not mobiles', () => {
    for (const s of ['12800138000', '1380013800', '138001380001', '23800138000', '+87 13800138000', '86 12 800138000', 'x13800138000', '13800138000x', '+86 23800138000']) expect(normalisePhone(s), s).toBeUndefined();
  });

  it('landlines: area code with a dash as given, without one split 3 (010, 02X) or 4 digits', () => {
    const cases: [string, string][] = [
      ['0917-3212345', '0917-3212345'],
      ['09173212345', '0917-3212345'],
      ['0917 3212345', '0917-3212345'],
      ['(0917)3212345', '0917-3212345'],
      ['（0917）3212345', '0917-3212345'],
      ['0917—3212345', '0917-3212345'],
      ['0917–3212345', '0917-3212345'],
      ['0917－3212345', '0917-3212345'],
      ['01062345678', '010-62345678'],
      ['02112345678', '021-12345678'],
      ['02987654321', '029-87654321'],
      ['021-2345678', '021-2345678'],
      ['0917-3212345-801', '0917-3212345-801'],
      ['0917-3212345-123456', '0917-3212345-123456'],
      ['03123456789', '0312-3456789'],
      // A 010 or 02X inside the number does not make the area code three digits.
      ['09173021234', '0917-3021234'],
      ['09173102345', '0917-3102345'],
      ['0917—3212345—801', '0917-3212345-801'],
    ];
    for (const [input, out] of cases) expect(normalisePhone(input), input).toBe(out);
  });

  it('+86 is taken off a mobile only', () => {
    expect(normalisePhone('8609173212345')).toBeUndefined();
    expect(normalisePhone('+86 0917-3212345')).toBeUndefined();
  });

  it('not landlines', () => {
    for (const s of ['0917-1212345', '0917-321234', '0917-321234567', '917-3212345', '0917-3212345-1234567', '0917-3212345-', '110', '', 'x0917-3212345', '0917-3212345x']) expect(normalisePhone(s), s).toBeUndefined();
  });
});

describe('which fields show', () => {
  const form = (fields: Partial<FieldDefinition>[]): FormDefinition => ({
    id: 't',
    version: 1,
    title: 'T',
    intro: 'T',
    audience: 'unit',
    fields: fields.map((f) => ({ label: f.name, type: 'text', ...f }) as FieldDefinition),
  });

  it("a boolean parent answers 'yes'/'true' or 'no'/'false'; garbage shows neither branch", () => {
    const f = form([
      { name: 'b', type: 'boolean' },
      { name: 'ifYes', showWhen: { field: 'b', equals: ['yes'] } },
      { name: 'ifTrue', showWhen: { field: 'b', equals: ['true'] } },
      { name: 'ifNo', showWhen: { field: 'b', equals: ['no'] } },
      { name: 'ifFalse', showWhen: { field: 'b', equals: ['false'] } },
    ]);
    const shown = (b: unknown) => [...visibleFields(f, { b })].sort();
    expect(shown('是')).toEqual(['b', 'ifTrue', 'ifYes']);
    expect(shown(true)).toEqual(['b', 'ifTrue', 'ifYes']);
    expect(shown('否')).toEqual(['b', 'ifFalse', 'ifNo']);
    expect(shown(0)).toEqual(['b', 'ifFalse', 'ifNo']);
    expect(shown('maybe')).toEqual(['b']);
    expect(shown(undefined)).toEqual(['b']);
  });

  it('other parents answer the values given, any one of them matching', () => {
    const f = form([
      { name: 'kind', type: 'multichoice' },
      { name: 'n', type: 'integer' },
      { name: 'ifFire', showWhen: { field: 'kind', equals: ['fire', 'flood'] } },
      { name: 'ifThree', showWhen: { field: 'n', equals: ['3'] } },
    ]);
    expect([...visibleFields(f, { kind: ['road', ' flood '], n: 3 })].sort()).toEqual(['ifFire', 'ifThree', 'kind', 'n']);
    expect([...visibleFields(f, { kind: 'road', n: '4' })].sort()).toEqual(['kind', 'n']);
    expect([...visibleFields(f, {})].sort()).toEqual(['kind', 'n']);
  });

  it('a field under a hidden field is hidden; a missing parent or a loop hides', () => {
    const f = form([
      { name: 'a', type: 'boolean' },
      { name: 'b', type: 'boolean', showWhen: { field: 'a', equals: ['yes'] } },
      { name: 'c', showWhen: { field: 'b', equals: ['yes'] } },
      { name: 'orphan', showWhen: { field: 'nowhere', equals: ['x'] } },
      { name: 'p', showWhen: { field: 'q', equals: ['x'] } },
      { name: 'q', showWhen: { field: 'p', equals: ['x'] } },
    ]);
    expect([...visibleFields(f, { a: 'no', b: 'yes', p: 'x', q: 'x', orphan: 'x' })].sort()).toEqual(['a']);
    expect([...visibleFields(f, { a: 'yes', b: 'yes' })].sort()).toEqual(['a', 'b', 'c']);
  });

  it('a chain of showWhen is followed eleven levels deep, not twelve', () => {
    const chain = (n: number) =>
      form([{ name: 'f0' }, ...Array.from({ length: n }, (_, i) => ({ name: `f${i + 1}`, showWhen: { field: `f${i}`, equals: ['x'] } }))]);
    const all = (n: number) => Object.fromEntries(Array.from({ length: n + 1 }, (_, i) => [`f${i}`, 'x']));
    expect(visibleFields(chain(11), all(11)).has('f11')).toBe(true);
    expect(visibleFields(chain(11), all(11)).size).toBe(12);
    expect(visibleFields(chain(12), all(12)).has('f12')).toBe(false);
    expect(visibleFields(chain(12), all(12)).has('f11')).toBe(true);
  });
});
