// The dependency-free XLSX writer read back by exceljs (an independent reader) and its ZIP checked by zlib:
// exact values and types, styles, frozen header, widths, awkward text, sheet names, the leaders' workbook.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { crc32 as zlibCrc32, inflateRawSync } from 'node:zlib';
import { MAX_CELL_CHARS, writeXlsx, type XlsxSheet } from '../../../src/lib/xlsx.ts';
import { crc32 } from '../../../src/lib/zip.ts';
import { workbookFromTabs } from '../../../src/sheets/workbook.ts';
import { HAZARD_OVERDUE_COLUMN, OVERDUE_TEXT, type BuiltTab } from '../../../src/sheets/tabs.ts';

async function read(bytes: Uint8Array) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return workbook;
}

const cellsOf = (ws: ExcelJS.Worksheet, row: number, width: number) =>
  Array.from({ length: width }, (_, i) => {
    const c = ws.getRow(row).getCell(i + 1);
    return { value: c.value, type: c.type };
  });

/** Every entry from the central directory, its data inflated or copied, with the CRC the archive claims. */
function unzip(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = bytes.length - 22;
  expect(view.getUint32(end, true)).toBe(0x06054b50);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const entries: { name: string; method: number; crc: number; data: Buffer }[] = [];
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const [compressed, size, nameLength] = [view.getUint32(at + 20, true), view.getUint32(at + 24, true), view.getUint16(at + 28, true)];
    const name = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength));
    const local = view.getUint32(at + 42, true);
    expect(view.getUint32(local, true)).toBe(0x04034b50);
    expect(view.getUint32(local + 14, true)).toBe(crc);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const raw = Buffer.from(bytes.subarray(start, start + compressed));
    const data = method === 8 ? inflateRawSync(raw) : raw;
    expect(data.length).toBe(size);
    entries.push({ name, method, crc, data });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return entries;
}

const AWKWARD = `<b>&"引号"'单引号'🙂`;

const SHEETS: XlsxSheet[] = [
  {
    name: '干部入户下访登记表',
    header: true,
    widths: [10, 24, 12],
    rows: [
      ['编号', '意见', '人数'],
      [1, AWKWARD, 12.5],
      [2, null, -3],
      [3, '', 0],
      [4, '第一行\r\n第二行\t制表', 1e21],
    ],
  },
  { name: '汇总', rows: [['平安', 2014], [], ['金台区']] },
];

describe('writeXlsx read back by exceljs', () => {
  for (const compress of [true, false]) {
    it(`keeps every value and type (${compress ? 'deflated' : 'stored'})`, async () => {
      const wb = await read(await writeXlsx(SHEETS, { creator: '平安', created: new Date('2014-11-05T02:03:04Z'), compress }));
      expect(wb.worksheets.map((w) => w.name)).toEqual(['干部入户下访登记表', '汇总']);
      expect(wb.creator).toBe('平安');
      expect(wb.created.toISOString()).toBe('2014-11-05T02:03:04.000Z');
      const [ws, summary] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
      const { String: S, Number: N, Null } = ExcelJS.ValueType;
      expect(cellsOf(ws, 1, 3)).toEqual([{ value: '编号', type: S }, { value: '意见', type: S }, { value: '人数', type: S }]);
      expect(cellsOf(ws, 2, 3)).toEqual([{ value: 1, type: N }, { value: AWKWARD, type: S }, { value: 12.5, type: N }]);
      expect(cellsOf(ws, 3, 3)).toEqual([{ value: 2, type: N }, { value: null, type: Null }, { value: -3, type: N }]);
      expect(cellsOf(ws, 4, 3)).toEqual([{ value: 3, type: N }, { value: null, type: Null }, { value: 0, type: N }]);
      expect(cellsOf(ws, 5, 3)).toEqual([{ value: 4, type: N }, { value: '第一行\r\n第二行\t制表', type: S }, { value: 1e21, type: N }]);
      expect(ws.rowCount).toBe(5);
      // Header: bold and frozen; body: plain. Widths as given.
      expect(ws.getCell('B1').font?.bold).toBe(true);
      expect(ws.getCell('B2').font?.bold).toBeFalsy();
      expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, topLeftCell: 'A2' });
      expect([1, 2, 3].map((i) => ws.getColumn(i).width)).toEqual([10, 24, 12]);
      // The second sheet has no header: nothing frozen, nothing bold, the empty row stays empty.
      expect(summary.views[0]?.state).not.toBe('frozen');
      expect(summary.getCell('A1').font?.bold).toBeFalsy();
      expect(cellsOf(summary, 1, 2)).toEqual([{ value: '平安', type: S }, { value: 2014, type: N }]);
      expect(cellsOf(summary, 2, 1)).toEqual([{ value: null, type: Null }]);
      expect(cellsOf(summary, 3, 1)).toEqual([{ value: '金台区', type: S }]);
    });
  }

  it('drops characters XML 1.0 forbids and keeps the rest, emoji included', async () => {
    const wb = await read(await writeXlsx([{ name: '表', rows: [['a\u0000b\u0001c\u000bd\uFFFEe\uD800f🙂g\u2028h']] }]));
    expect(wb.worksheets[0]!.getCell('A1').value).toBe('abcdef🙂g\u2028h');
  });

  it('cuts text at Excel’s cell limit without splitting an emoji', async () => {
    const long = `${'长'.repeat(MAX_CELL_CHARS - 1)}🙂尾`;
    const wb = await read(await writeXlsx([{ name: '长', rows: [[long, 'x'.repeat(MAX_CELL_CHARS)]] }]));
    expect(wb.worksheets[0]!.getCell('A1').value).toBe('长'.repeat(MAX_CELL_CHARS - 1));
    expect((wb.worksheets[0]!.getCell('B1').value as string).length).toBe(MAX_CELL_CHARS);
  });

  it('makes sheet names Excel accepts: forbidden characters, 31 characters, unique ignoring case, never empty', async () => {
    const names = ['隐患/台账:[2014]?*', `'引号'`, 'a'.repeat(40), 'A'.repeat(40), 'Sum', 'sum', ''];
    const wb = await read(await writeXlsx(names.map((name) => ({ name, rows: [[1]] }))));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '隐患 台账  2014',
      '引号',
      'a'.repeat(31),
      `${'A'.repeat(27)} (2)`,
      'Sum',
      'sum (2)',
      'Sheet7',
    ]);
  });

  it('writes a sheet when given none, since Excel will not open a workbook without one', async () => {
    const wb = await read(await writeXlsx([]));
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Sheet1']);
  });

  it('escapes a literal _xHHHH_ so Excel does not read it as an escaped character', async () => {
    const bytes = await writeXlsx([{ name: '表', rows: [['代码_x0041_结束']] }], { compress: false });
    const strings = unzip(bytes).find((e) => e.name === 'xl/sharedStrings.xml')!;
    expect(strings.data.toString('utf8')).toContain('代码_x005F_x0041_结束');
  });
});

describe('the ZIP container', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    const bytes = new TextEncoder().encode('平安金台 🙂');
    expect(crc32(bytes.subarray(5), crc32(bytes.subarray(0, 5)))).toBe(zlibCrc32(bytes));
  });

  for (const compress of [true, false]) {
    it(`holds every OOXML part with a CRC zlib agrees with (${compress ? 'deflated' : 'stored'})`, async () => {
      const entries = unzip(await writeXlsx(SHEETS, { compress }));
      expect(entries.map((e) => e.name).sort()).toEqual(
        [
          '[Content_Types].xml',
          '_rels/.rels',
          'docProps/core.xml',
          'xl/workbook.xml',
          'xl/_rels/workbook.xml.rels',
          'xl/styles.xml',
          'xl/sharedStrings.xml',
          'xl/worksheets/sheet1.xml',
          'xl/worksheets/sheet2.xml',
        ].sort(),
      );
      for (const e of entries) {
        expect(e.method).toBe(compress ? 8 : 0);
        expect(e.crc).toBe(zlibCrc32(e.data));
      }
    });
  }
});

describe('leaders’ workbook', () => {
  it('types cells, bolds and freezes headers, fills overdue hazards and sizes columns from pixels', async () => {
    const header = ['隐患', '单位', '内容', '地点', '上报', '状态', '逾期', '期限'];
    const overdue = ['H-1', '陈仓镇', "'=1+1", '村口', '2014-11-01', '整改中', OVERDUE_TEXT, '2014-11-03'];
    const onTime = ['H-2', '蟠龙镇', '路灯', '', '2014-11-02', '整改中', '', '2014-11-09'];
    expect(overdue[HAZARD_OVERDUE_COLUMN]).toBe(OVERDUE_TEXT);
    const tabs: BuiltTab[] = [
      { id: 'overview', title: '总览', widths: [220, 420], rows: [['指标', '数值'], ['入户走访', 12], ['满意率', '']] } as BuiltTab,
      { id: 'hazards', title: '隐患台账', widths: [150, 100, 240, 160, 170, 100, 70, 100], rows: [header, overdue, onTime] } as BuiltTab,
    ];
    const wb = await read(await workbookFromTabs(tabs, new Date('2014-11-05T00:00:00Z')));
    expect(wb.creator).toBe('平安');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['总览', '隐患台账']);
    const [overview, hazards] = wb.worksheets as [ExcelJS.Worksheet, ExcelJS.Worksheet];
    expect(overview.getCell('B2').value).toBe(12);
    expect(overview.getCell('B2').type).toBe(ExcelJS.ValueType.Number);
    expect(overview.getCell('B3').type).toBe(ExcelJS.ValueType.Null);
    expect([1, 2].map((i) => overview.getColumn(i).width)).toEqual([31, 60]);
    expect(hazards.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(hazards.getCell('A1').font?.bold).toBe(true);
    // A neutralised formula stays text.
    expect(hazards.getCell('C2').value).toBe("'=1+1");
    expect(hazards.getCell('C2').formula).toBeUndefined();
    for (const col of ['A', 'C', 'G', 'H']) expect(hazards.getCell(`${col}2`).fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFF4CCCC' } });
    const solid = (ref: string) => (hazards.getCell(ref).fill as ExcelJS.FillPattern | undefined)?.pattern === 'solid';
    expect(['A1', 'G1', 'A3', 'C3', 'G3'].filter(solid)).toEqual([]);
  });
});
