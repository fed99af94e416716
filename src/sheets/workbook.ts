// The six tabs as one XLSX workbook, for leaders where Google is unreachable; built by the same code as the sheet.
// Written with the project's own small XLSX writer (src/lib/xlsx.ts) so the Worker does not carry exceljs.
import type { Deps } from '../deps.ts';
import { writeXlsx } from '../lib/xlsx.ts';
import { tabContext } from './flush.ts';
import { buildAllTabs, HAZARD_OVERDUE_COLUMN, OVERDUE_TEXT, type BuiltTab } from './tabs.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** The sheet's light red for overdue hazards, as AARRGGBB. */
const OVERDUE_FILL = 'FFF4CCCC';

/** Pixels (as the sheet uses) to Excel's character widths. */
const charWidth = (px: number) => Math.max(6, Math.round(px / 7));

export async function buildWorkbook(deps: Pick<Deps, 'db' | 'now' | 'plugins'> & Partial<Deps>): Promise<Uint8Array> {
  const tabs = await buildAllTabs(await tabContext(deps));
  return workbookFromTabs(tabs, deps.now());
}

export async function workbookFromTabs(tabs: BuiltTab[], created: Date): Promise<Uint8Array> {
  return writeXlsx(
    tabs.map((t) => ({
      name: t.title,
      header: true,
      widths: t.widths.map(charWidth),
      // Cells stay typed: text is written as text (already neutralised), numbers as numbers, '' as empty.
      rows: t.rows.map((row) => row.map((v) => (v === '' ? null : v))),
      rowStyle: t.id === 'hazards' ? (row, i) => (i > 0 && row[HAZARD_OVERDUE_COLUMN] === OVERDUE_TEXT ? { fill: OVERDUE_FILL } : undefined) : undefined,
    })),
    { creator: '平安', created },
  );
}
