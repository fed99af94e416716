// Reading the CSV files offices save from Excel: UTF-8 (with or without BOM) or GBK, quoted fields, CRLF.

export type CsvEncoding = 'auto' | 'utf-8' | 'gbk';

/** GB18030 is a superset of GBK that workerd's and Node's TextDecoder both know, so no codec table ships in the bundle. */
const decodeGbk = (bytes: Uint8Array) => new TextDecoder('gb18030').decode(bytes);

/**
 * Decodes a file's bytes. Chinese Excel saves "CSV" as GBK unless told otherwise, so in auto mode
 * bytes that are not valid UTF-8 are read as GBK (a GBK file is almost never valid UTF-8).
 */
export function decodeCsv(bytes: Uint8Array, encoding: CsvEncoding = 'auto'): string {
  let text: string;
  if (encoding === 'gbk') text = decodeGbk(bytes);
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    } catch {
      if (encoding === 'utf-8') throw new Error('NOT_UTF8');
      text = decodeGbk(bytes);
    }
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export interface CsvRow {
  /** 1-based line in the file where the row starts, as a spreadsheet user counts. */
  line: number;
  cells: string[];
}

/** RFC 4180 records: quotes around fields with commas, quotes or line breaks; "" inside quotes. */
export function parseCsv(text: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      rows.push({ line: rowLine, cells });
      cells = [];
      cell = '';
      line++;
      rowLine = line;
    } else cell += ch;
  }
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    rows.push({ line: rowLine, cells });
  }
  // Blank lines (Excel leaves ",,," or nothing) carry no cadre.
  return rows.filter((r) => r.cells.some((c) => c.trim() !== ''));
}
