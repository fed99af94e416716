// CSV for Excel: UTF-8 with a BOM (without it Chinese Excel reads GBK and shows mojibake), CRLF, RFC 4180 quoting.
import type { ExportTable } from './rows.ts';

const BOM = '\uFEFF';

function quote(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Cells arrive already neutralised by exportTable. */
export function toCsv(table: ExportTable): string {
  return BOM + [table.headers, ...table.rows].map((row) => row.map(quote).join(',')).join('\r\n') + '\r\n';
}
