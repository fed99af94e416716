// Printing: offices print 台账 and 通报 from the XLSX files. Every sheet the writer makes fits the page width
// (landscape when wide), prints its gridlines and repeats its header row on each page; read back by exceljs.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { printOrientation, writeXlsx, type XlsxSheet } from '../../../src/lib/xlsx.ts';
import { workbookFromTabs } from '../../../src/sheets/workbook.ts';
import { toXlsx } from '../../../src/unit/export/xlsx.ts';
import type { BuiltTab } from '../../../src/sheets/tabs.ts';

async function read(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

const setupOf = (ws: ExcelJS.Worksheet) => {
  const p = ws.pageSetup;
  return { orientation: p.orientation, fitToPage: p.fitToPage, fitToWidth: p.fitToWidth, fitToHeight: p.fitToHeight, paperSize: p.paperSize, gridLines: p.showGridLines, titles: p.printTitlesRow };
};

describe('XLSX page setup', () => {
  it('a narrow sheet prints portrait and a wide one landscape, each fitted to the page width, gridlines on, header repeated', async () => {
    const narrow: XlsxSheet = { name: '总览', header: true, widths: [20, 30], rows: [['项目', '数值'], ['参与人数', 12]] };
    const wide: XlsxSheet = { name: "隐患'台账", header: true, widths: [12, 14, 30, 30, 12, 12, 16, 12], rows: [['编号', '单位', '地点', '情况', '发现', '状态', '逾期', '期限']] };
    const plain: XlsxSheet = { name: '备注', rows: [['没有表头']] };
    expect([narrow, wide, plain].map(printOrientation)).toEqual(['portrait', 'landscape', 'portrait']);
    const book = await read(await writeXlsx([narrow, wide, plain]));
    const [a, b, c] = book.worksheets;
    expect(setupOf(a!)).toEqual({ orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9, gridLines: true, titles: '1:1' });
    expect(setupOf(b!)).toEqual({ orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, paperSize: 9, gridLines: true, titles: '1:1' });
    // No header row, nothing to repeat.
    expect(setupOf(c!).titles).toBeUndefined();
    expect(setupOf(c!).fitToPage).toBe(true);
  });

  it('the leader workbook and a unit export carry the page setup on every tab', async () => {
    const tabs: BuiltTab[] = [
      { id: 'overview', title: '总览', widths: [160, 320], rows: [['项目', '数值'], ['活动名称', '平安建设']] },
      { id: 'hazards', title: '隐患台账', widths: [100, 120, 200, 240, 100, 100, 120, 100, 100], rows: [['编号', '牵头单位', '地点', '情况', '发现日期', '状态', '逾期', '期限', '销号']] },
    ] as unknown as BuiltTab[];
    const leader = await read(await workbookFromTabs(tabs, new Date('2014-11-04T00:00:00Z')));
    expect(leader.worksheets.map((ws) => [ws.name, setupOf(ws).orientation, setupOf(ws).fitToWidth, setupOf(ws).gridLines, setupOf(ws).titles])).toEqual([
      ['总览', 'portrait', 1, true, '1:1'],
      ['隐患台账', 'landscape', 1, true, '1:1'],
    ]);
    const unit = await read(await toXlsx([{ title: '入户下访', headers: ['时间', '干部', '户主', '地址', '知晓', '参与', '满意度', '意见', '回访'], rows: [['2014-11-04 10:00', '马勇', '张三', '三组15号', '是', '否', '满意', '希望夜间多巡逻', '否']] }] as never));
    expect(setupOf(unit.worksheets[0]!)).toMatchObject({ fitToPage: true, fitToWidth: 1, gridLines: true, titles: '1:1' });
  });
});
