// What goes into a sheet or export cell: numbers as numbers, text neutralised against formula injection and
// capped, free text with its phone-like digit runs masked (maskDigits, the export masking).
import { describe, expect, it } from 'vitest';
import { cell, freeTextCell, MAX_CELL_TEXT, numberCell, percentCell, textCell } from '../../../src/sheets/cells.ts';
import { maskDigits, neutraliseFormula } from '../../../src/forms/personal.ts';

describe('maskDigits', () => {
  it('stars runs of 7 or more digits, spaced or dashed, half- or full-width, and leaves 6 alone', () => {
    const cases: [string, string][] = [
      ['电话13912345678', '电话***********'],
      ['123456', '123456'],
      ['1234567', '*******'],
      ['139 1234 5678', '*** **** ****'],
      ['139-1234-5678', '***-****-****'],
      ['１３９１２３４５６７８', '＊＊＊＊＊＊＊＊＊＊＊'.replace(/＊/g, '*')],
      ['12 34 56 7', '** ** ** *'],
      ['123  4567', '123  4567'],
      ['东风路12号，3号楼', '东风路12号，3号楼'],
      ['a 1234567 b 7654321', 'a ******* b *******'],
    ];
    for (const [input, out] of cases) expect(maskDigits(input), input).toBe(out);
  });
});

describe('neutraliseFormula', () => {
  it('puts an apostrophe before = + - @ tab and CR, and nothing before other text', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(neutraliseFormula(s)).toBe(`'${s}`);
    for (const s of ['1=1', 'a', '', ' =1']) expect(neutraliseFormula(s)).toBe(s);
  });
});

describe('cells', () => {
  it('text: empty for nothing, capped at the limit with an ellipsis, neutralised', () => {
    expect([textCell(null), textCell(undefined), textCell(''), textCell(0), textCell('=x')]).toEqual(['', '', '', '0', "'=x"]);
    expect(textCell('a'.repeat(MAX_CELL_TEXT))).toBe('a'.repeat(MAX_CELL_TEXT));
    const long = textCell('a'.repeat(MAX_CELL_TEXT + 1));
    expect([long.length, long.endsWith('a…')]).toEqual([MAX_CELL_TEXT, true]);
    expect(MAX_CELL_TEXT).toBe(5000);
  });

  it('free text: masked, then neutralised', () => {
    expect([freeTextCell(null), freeTextCell(undefined), freeTextCell('=13912345678'), freeTextCell(1234567)]).toEqual(['', '', "'=***********", '*******']);
  });

  it('numbers: finite numbers stay, the rest is empty', () => {
    expect([numberCell(0), numberCell(-1.5), numberCell(Number.NaN), numberCell(Infinity), numberCell(null), numberCell(undefined)]).toEqual([0, -1.5, '', '', '', '']);
  });

  it('percentages: one decimal, empty when nothing to divide', () => {
    expect([percentCell(1, 3), percentCell(2, 3), percentCell(1, 1), percentCell(0, 5), percentCell(1, 0), percentCell(1, -1)]).toEqual([33.3, 66.7, 100, 0, '', '']);
  });

  it('any value: numbers, booleans as 是/否, the rest as text', () => {
    expect([cell(3), cell(Number.NaN), cell(true), cell(false), cell('-x'), cell(null)]).toEqual([3, '', '是', '否', "'-x", '']);
  });
});
