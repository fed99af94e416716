// The six tabs as one XLSX workbook, for leaders where Google is unreachable; built by the same code as the sheet.
import type { Deps } from '../deps.ts';
import { writeXlsx } from '../lib/xlsx.ts';
import { tabContext } from './flush.ts';
import { buildAllTabs, HAZARD_OVERDUE_COLUMN, OVERDUE_TEXT, type BuiltTab } from './tabs.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Pixels (as the sheet uses) to Excel's character widths. */
const charWidth = (px: number) => Math.max(6, Math.round(px / 7));

/** Light red behind an overdue hazard, as on the Google sheet. */
const OVERDUE_FILL = 'F4CCCC';

export async function buildWorkbook(deps: Pick<Deps, 'db' | 'now'> & Partial<Deps>): Promise<Uint8Array> {
  const tabs = await buildAllTabs(tabContext(deps));
  return workbookFromTabs(tabs, deps.now());
}

export async function workbookFromTabs(tabs: BuiltTab[], created: Date): Promise<Uint8Array> {
  // Cells keep their types: text stays text (never a formula), numbers stay numbers; '' is left empty.
  const sheets = tabs.map((t) => ({
    name: t.title,
    header: true,
    rows: t.rows,
    widths: t.widths.map(charWidth),
    rowStyle: (row: readonly unknown[], i: number) =>
      t.id === 'hazards' && i > 0 && row[HAZARD_OVERDUE_COLUMN] === OVERDUE_TEXT ? { fill: OVERDUE_FILL } : undefined,
  }));
  return writeXlsx(sheets, { creator: '平安', created });
}
