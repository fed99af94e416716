// A1 notation as Google Sheets reads it: quoted tab names with '' escapes, whole-sheet and open ranges.

export interface GridRange {
  sheet: string | null;
  /** 0-based, inclusive. */
  startRow: number;
  startCol: number;
  /** 0-based, exclusive; null means open (to the end of the grid). */
  endRow: number | null;
  endCol: number | null;
}

export class A1Error extends Error {}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Splits `'It''s'!A1:B2` into the tab name and the cell part; `knownSheets` decides whether a bare word is a tab. */
export function parseA1(input: string, knownSheets: readonly string[] = []): GridRange {
  const text = input.trim();
  let sheet: string | null = null;
  let cells: string | null = text;
  if (text.startsWith("'")) {
    let i = 1;
    let name = '';
    for (;;) {
      if (i >= text.length) throw new A1Error(`Unable to parse range: ${input}`);
      const ch = text[i]!;
      if (ch === "'") {
        if (text[i + 1] === "'") {
          name += "'";
          i += 2;
          continue;
        }
        i += 1;
        break;
      }
      name += ch;
      i += 1;
    }
    sheet = name;
    const rest = text.slice(i);
    if (rest === '') cells = null;
    else if (rest.startsWith('!')) cells = rest.slice(1);
    else throw new A1Error(`Unable to parse range: ${input}`);
  } else if (text.includes('!')) {
    const at = text.lastIndexOf('!');
    sheet = text.slice(0, at);
    cells = text.slice(at + 1);
    if (/[\s'!:]/.test(sheet) || sheet === '') throw new A1Error(`Unable to parse range: ${input}`);
  } else if (knownSheets.includes(text)) {
    sheet = text;
    cells = null;
  }
  if (cells === null || cells === '') return { sheet, startRow: 0, startCol: 0, endRow: null, endCol: null };

  const [a, b, extra] = cells.split(':');
  if (extra !== undefined) throw new A1Error(`Unable to parse range: ${input}`);
  const first = parseRef(a!, input);
  const second = b === undefined ? first : parseRef(b, input);
  if (b === undefined && (first.col === null || first.row === null)) throw new A1Error(`Unable to parse range: ${input}`);
  const startCol = Math.min(first.col ?? 0, second.col ?? first.col ?? 0);
  const startRow = Math.min(first.row ?? 0, second.row ?? first.row ?? 0);
  const endCol = first.col === null || second.col === null ? null : Math.max(first.col, second.col) + 1;
  const endRow = first.row === null || second.row === null ? null : Math.max(first.row, second.row) + 1;
  // `A:B` is columns A to B over every row; `1:2` is rows 1 to 2 over every column.
  return { sheet, startRow: first.row === null && second.row === null ? 0 : startRow, startCol: first.col === null && second.col === null ? 0 : startCol, endRow, endCol };
}

function parseRef(ref: string, input: string): { col: number | null; row: number | null } {
  const m = /^\$?([A-Za-z]*)\$?(\d*)$/.exec(ref);
  if (!m || (m[1] === '' && m[2] === '')) throw new A1Error(`Unable to parse range: ${input}`);
  const row = m[2] ? Number(m[2]) - 1 : null;
  if (row !== null && row < 0) throw new A1Error(`Unable to parse range: ${input}`);
  return { col: m[1] ? columnIndex(m[1]) : null, row };
}

/** How Google writes a range back: quotes only when the name needs it. */
export function formatA1(sheet: string, r: { startRow: number; startCol: number; endRow: number; endCol: number }): string {
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) ? sheet : `'${sheet.replace(/'/g, "''")}'`;
  return `${name}!${columnLetters(r.startCol)}${r.startRow + 1}:${columnLetters(r.endCol - 1)}${r.endRow}`;
}
