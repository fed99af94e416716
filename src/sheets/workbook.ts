// The six tabs as one XLSX workbook, for leaders where Google is unreachable; built by the same code as the sheet.
import ExcelJS from 'exceljs';
import type { Deps } from '../deps.ts';
import { tabContext } from './flush.ts';
import { buildAllTabs, HAZARD_OVERDUE_COLUMN, OVERDUE_TEXT, type BuiltTab } from './tabs.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Pixels (as the sheet uses) to Excel's character widths. */
const charWidth = (px: number) => Math.max(6, Math.round(px / 7));

export async function buildWorkbook(deps: Pick<Deps, 'db' | 'now'> & Partial<Deps>): Promise<Uint8Array> {
  const tabs = await buildAllTabs(tabContext(deps));
  return workbookFromTabs(tabs, deps.now());
}

export async function workbookFromTabs(tabs: BuiltTab[], created: Date): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '平安';
  wb.created = created;
  wb.modified = created;
  for (const t of tabs) {
    const ws = wb.addWorksheet(t.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = t.widths.map((w) => ({ width: charWidth(w) }));
    // Cells are typed explicitly: text stays text (never a formula), numbers stay numbers.
    t.rows.forEach((row, i) => {
      const r = ws.getRow(i + 1);
      row.forEach((v, j) => {
        if (v === '') return;
        r.getCell(j + 1).value = v;
      });
      if (i === 0) r.font = { bold: true };
      if (t.id === 'hazards' && i > 0 && row[HAZARD_OVERDUE_COLUMN] === OVERDUE_TEXT) {
        r.eachCell((c) => {
          c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF4CCCC' } };
        });
      }
    });
  }
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}
