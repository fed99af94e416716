// XLSX through exceljs: one sheet per form, a bold frozen header, every value written as a plain
// value (never a formula; strings already neutralised).
import type { ExportTable } from './rows.ts';

/** Excel's limit on sheet names, and characters it refuses in them. */
const sheetName = (title: string) => title.replace(/[\\/?*[\]:]/g, ' ').slice(0, 31);

export async function toXlsx(tables: ExportTable[]): Promise<Uint8Array> {
  // Loaded on demand: exceljs is large and only export requests need it.
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  workbook.creator = '平安金台';
  for (const table of tables) {
    const sheet = workbook.addWorksheet(sheetName(table.title), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(table.headers).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    sheet.columns.forEach((col, i) => {
      const longest = Math.max(...[table.headers[i], ...table.rows.map((r) => r[i])].map((v) => String(v ?? '').length));
      col.width = Math.min(40, Math.max(8, longest * 2));
    });
  }
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
