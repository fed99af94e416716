// What may go into a sheet cell: numbers stay numbers, text is neutralised against formula injection and masked for phone-like digits.
import { maskDigits, neutraliseFormula } from '../forms/personal.ts';

export type CellValue = string | number;

/** Google's limit is 50,000 characters a cell; leaders never need more than this. */
export const MAX_CELL_TEXT = 5000;

/**
 * A text cell. RAW input already stops Google from evaluating it, but the same text exported to CSV
 * would run in Excel; a leading apostrophe is the convention (OWASP) every spreadsheet reads as "text".
 */
export function textCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (s.length > MAX_CELL_TEXT) s = `${s.slice(0, MAX_CELL_TEXT - 1)}…`;
  return neutraliseFormula(s);
}

/** Free text written by residents or units: masks digit runs that could be a phone number, then neutralises. */
export function freeTextCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return textCell(maskDigits(String(value)));
}

/** A number cell; anything that is not a finite number becomes empty. */
export function numberCell(value: number | null | undefined): CellValue {
  return typeof value === 'number' && Number.isFinite(value) ? value : '';
}

/** A ratio as a percentage with one decimal, empty when there is nothing to divide. */
export function percentCell(num: number, den: number): CellValue {
  return den > 0 ? Math.round((num / den) * 1000) / 10 : '';
}

/** Any value headed for a cell, e.g. from a form answer: numbers as numbers, the rest as text. */
export function cell(value: unknown): CellValue {
  if (typeof value === 'number') return numberCell(value);
  if (typeof value === 'boolean') return value ? '是' : '否';
  return textCell(value);
}
