// XLSX for unit exports: one sheet per form, a bold frozen header, every value written as a plain
// value (never a formula; strings already neutralised).
import { writeXlsx } from '../../lib/xlsx.ts';
import type { ExportTable } from './rows.ts';

/** Wide enough for the longest value (a Chinese character takes two widths), within reason. */
function widths(table: ExportTable): number[] {
  return table.headers.map((header, i) => {
    let longest = header.length;
    for (const row of table.rows) longest = Math.max(longest, String(row[i] ?? '').length);
    return Math.min(40, Math.max(8, longest * 2));
  });
}

export async function toXlsx(tables: ExportTable[]): Promise<Uint8Array> {
  // Sheet names are made safe for Excel (forbidden characters, 31 characters) by the writer.
  const sheets = tables.map((t) => ({ name: t.title, header: true, rows: [t.headers, ...t.rows], widths: widths(t) }));
  return writeXlsx(sheets, { creator: 'Pingan' });
}
