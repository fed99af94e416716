// Exports read back: XLSX parsed with exceljs and CSV as Excel sees it — masked for units and leaders,
// complete for the office, formulas neutralised, other units refused.
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { eq } from 'drizzle-orm';
import { cadres } from '../../../src/db/schema.ts';
import { maskName, maskPhone, neutraliseFormula } from '../../../src/forms/personal.ts';
import { makeTestApp, type TestContext } from '../../helpers/app.ts';
import { signIn, type Session } from '../../helpers/unit-portal.ts';

async function seedVisits(t: TestContext, s: Session) {
  const [cadre] = await t.db.select().from(cadres).where(eq(cadres.unitCode, 'chencang'));
  const base = { cadre: cadre!.id, visitDate: '2014-11-04', place: 'chencang-v1', almanac: true, aware: true, participated: true, satisfaction: 'satisfied' };
  const a = await s.api('/api/v1/unit/forms/household-visit/submissions', {
    body: { ...base, householdHead: '张三丰', address: '-1+2 陈仓村', phone: '13812341234', opinions: '=HYPERLINK("http://evil.example","点我")' },
  });
  const b = await s.api('/api/v1/unit/forms/household-visit/submissions', {
    body: { ...base, householdHead: '欧阳娜娜', address: '陈仓示范村一2组8号', phone: '0917-3212345', opinions: '@SUM(A1:A9)', satisfaction: 'dissatisfied' },
  });
  expect([a.status, b.status]).toEqual([201, 201]);
  return cadre!;
}

async function readXlsx(res: Response) {
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load((await res.arrayBuffer()) as ArrayBuffer);
  return workbook;
}

function table(sheet: ExcelJS.Worksheet) {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, ExcelJS.Cell>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    rows.push(Object.fromEntries(headers.map((h, i) => [h, row.getCell(i + 1)])));
  });
  return { headers, rows };
}

describe('masking and neutralising', () => {
  const cases: { name: string; got: string; expected: string }[] = [
    { name: 'two-character name', got: maskName('张三'), expected: '张**' },
    { name: 'four-character name', got: maskName('欧阳娜娜'), expected: '欧***' },
    { name: 'mobile', got: maskPhone('13812341234'), expected: '138****1234' },
    { name: 'landline', got: maskPhone('0917-3212345'), expected: '0917-***2345' },
    { name: 'formula', got: neutraliseFormula('=1+1'), expected: "'=1+1" },
    { name: 'plus', got: neutraliseFormula('+86 138'), expected: "'+86 138" },
    { name: 'minus', got: neutraliseFormula('-1'), expected: "'-1" },
    { name: 'at', got: neutraliseFormula('@SUM(A1)'), expected: "'@SUM(A1)" },
    { name: 'plain text', got: neutraliseFormula('平安 = 幸福'), expected: '平安 = 幸福' },
  ];
  for (const c of cases) it(c.name, () => expect(c.got).toBe(c.expected));
});

describe('XLSX export', () => {
  it('masks personal fields for the unit and neutralises formulas', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const cadre = await seedVisits(t, s);
    const res = await s.page('/unit/export.xlsx?form=household-visit');
    expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    const workbook = await readXlsx(res);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['干部入户下访登记表']);
    const { headers, rows } = table(workbook.worksheets[0]!);
    expect(headers).toEqual(expect.arrayContaining(['编号', '单位', '走访干部', '户主姓名（已脱敏）', '联系电话（已脱敏）', '对社会治安和政法工作的满意度']));
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r['户主姓名（已脱敏）']!.value)).toEqual(['张**', '欧***']);
    expect(rows.map((r) => r['联系电话（已脱敏）']!.value)).toEqual(['138****1234', '0917-***2345']);
    // Masking keeps the first characters, so a masked value is neutralised too.
    expect(rows[0]!['住址（已脱敏）']!.value).toBe("'-1+****");
    expect(rows[0]!['走访干部']!.value).toBe(cadre.name);
    expect(rows.map((r) => r['对社会治安和政法工作的满意度']!.value)).toEqual(['满意', '不满意']);
    const opinions = rows.map((r) => r['群众反映的意见建议']!);
    expect(opinions.map((c) => c.value)).toEqual(["'=HYPERLINK(\"http://evil.example\",\"点我\")", "'@SUM(A1:A9)"]);
    for (const c of opinions) {
      expect(c.type).toBe(ExcelJS.ValueType.String);
      expect(c.formula).toBeUndefined();
    }
    // Nothing personal anywhere in the file for a unit.
    const all = JSON.stringify(rows.map((r) => Object.values(r).map((c) => c.value)));
    for (const secret of ['张三丰', '欧阳娜娜', '13812341234', '3212345', '2组8号']) expect(all).not.toContain(secret);
  });

  it('gives the office every unit’s records unmasked, still neutralised, and a sheet per form', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    await seedVisits(t, s);
    const office = await signIn(t, 'office');
    const workbook = await readXlsx(await office.page('/unit/export.xlsx?unit=chencang'));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['干部入户下访登记表', '治安隐患排查台账', '红袖标义务巡逻队登记', '平安建设宣传登记', '矛盾纠纷排查调处登记', '活动任务进度填报']);
    const { rows } = table(workbook.getWorksheet('干部入户下访登记表')!);
    expect(rows.map((r) => r['户主姓名']!.value)).toEqual(['张三丰', '欧阳娜娜']);
    expect(rows.map((r) => r['联系电话']!.value)).toEqual(['13812341234', '0917-3212345']);
    expect(rows[0]!['住址']!.value).toBe("'-1+2 陈仓村");
    expect(rows[0]!['单位']!.value).toBe('陈仓镇');
  });

  it('masks for a leader, and refuses a unit another unit’s export', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    await seedVisits(t, s);
    const leader = await signIn(t, 'office', { leader: true });
    const { rows } = table((await readXlsx(await leader.page('/unit/export.xlsx?form=household-visit&unit=chencang'))).worksheets[0]!);
    expect(rows.map((r) => r['户主姓名（已脱敏）']!.value)).toEqual(['张**', '欧***']);
    const other = await signIn(t, 'panlong');
    expect((await other.page('/unit/export.xlsx?unit=chencang')).status).toBe(403);
    expect((await other.page('/unit/export.csv?unit=chencang')).status).toBe(403);
    // Its own export holds none of chencang's rows.
    const own = table((await readXlsx(await other.page('/unit/export.xlsx?form=household-visit'))).worksheets[0]!);
    expect(own.rows).toHaveLength(0);
  });
});

describe('CSV export', () => {
  it('is UTF-8 with a BOM for Excel, quoted, masked and neutralised', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    await seedVisits(t, s);
    const res = await s.page('/unit/export.csv?form=household-visit');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const lines = text.split('\r\n');
    expect(lines[0]).toMatch(/^编号,单位,登记时间,走访干部,走访日期,村（社区）,户主姓名（已脱敏）,住址（已脱敏）,联系电话（已脱敏）/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain('张**');
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""点我"")"`);
    expect(lines[2]).toContain("'@SUM(A1:A9)");
    expect(text).not.toContain('张三丰');
    expect(text).not.toContain('13812341234');
  });

  it('lists the exports on a page that says what is masked', async () => {
    const t = await makeTestApp();
    const s = await signIn(t, 'chencang');
    const html = await (await s.page('/unit/export')).text();
    expect(html).toContain('已脱敏');
    expect(html).toContain('/unit/export.csv?form=patrol-team');
    expect((await s.page('/unit/export.csv?form=nope')).status).toBe(404);
  });
});
