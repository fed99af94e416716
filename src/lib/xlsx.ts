// A small XLSX writer on web-standard APIs, the same in workerd and Node: named sheets of text and numbers,
// a bold frozen header, row fills and column widths — all our exports need, without a 1.5 MiB library in the Worker.
// Every sheet prints as one readable table: fitted to the page width (landscape when wide), gridlines on, the header
// row repeated on each page (the Print_Titles defined name).

import { deflateAvailable, zip, zipEntry, type ZipEntry } from './zip.ts';

export type XlsxCell = string | number | null | undefined;

export interface XlsxRowStyle {
  bold?: boolean;
  /** Background colour as RRGGBB or AARRGGBB hex. */
  fill?: string;
}

export interface XlsxSheet {
  name: string;
  rows: readonly (readonly XlsxCell[])[];
  /** Column widths in Excel's character units; a missing entry keeps Excel's default. */
  widths?: readonly (number | undefined)[];
  /** The first row is a header: bold, and frozen so it stays in view while scrolling. */
  header?: boolean;
  /** Style for a whole row (every cell up to the row's length, empty ones too). */
  rowStyle?: (row: readonly XlsxCell[], index: number) => XlsxRowStyle | undefined;
  /** Printed page orientation; by default landscape when the columns are wider than a portrait A4 page holds. */
  orientation?: 'portrait' | 'landscape';
}

/** Excel's default column width, in character units. */
const DEFAULT_WIDTH = 8.43;
/** About what a portrait A4 page holds between narrow margins, in character units at 100 %. */
export const PORTRAIT_WIDTH = 90;

/** The orientation a sheet prints in: its own choice, else landscape when its columns add up wider than portrait. */
export function printOrientation(sheet: XlsxSheet): 'portrait' | 'landscape' {
  if (sheet.orientation) return sheet.orientation;
  const columns = Math.max(0, ...sheet.rows.map((r) => r.length));
  let total = 0;
  for (let i = 0; i < columns; i++) {
    const w = sheet.widths?.[i];
    total += typeof w === 'number' && Number.isFinite(w) && w > 0 ? Math.min(255, w) : DEFAULT_WIDTH;
  }
  return total > PORTRAIT_WIDTH ? 'landscape' : 'portrait';
}

export interface XlsxOptions {
  creator?: string;
  created?: Date;
  /** Deflate the parts when the runtime's CompressionStream can (default); false stores them as they are. */
  compress?: boolean;
}

/** Excel refuses longer sheet names and longer cell text (it "repairs" the file and drops the excess). */
export const MAX_SHEET_NAME = 31;
export const MAX_CELL_CHARS = 32_767;

const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

// ---------------------------------------------------------------- text

/** Everything XML 1.0 forbids: C0 controls but tab/LF/CR, lone surrogates, U+FFFE and U+FFFF. */
const XML_ILLEGAL = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function xmlText(s: string): string {
  return s
    .replace(XML_ILLEGAL, '')
    .replace(/[&<>"'\r]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : c === "'" ? '&apos;' : '&#13;'));
}

/** Cuts to at most `max` UTF-16 units without leaving half of a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

const NEEDS_ESCAPE = /[&<>"'\r_]|[^\t\n\u0020-\uD7FF\uE000-\uFFFD]/;

/**
 * Cell text as OOXML stores it. Excel reads `_xHHHH_` in strings as an escaped character, so a literal
 * one gets its underscore escaped (`_x005F_`) to come back as typed.
 */
function cellText(s: string): string {
  // Most cells need none of this; one test is far cheaper than three replacements over a million cells.
  if (s.length <= MAX_CELL_CHARS && !NEEDS_ESCAPE.test(s)) return s;
  return xmlText(cut(s.replace(XML_ILLEGAL, ''), MAX_CELL_CHARS)).replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');
}

/** Excel's rules for sheet names: no []:*?/\, no apostrophe at either end, 1–31 characters, unique ignoring case. */
function sheetNames(sheets: readonly XlsxSheet[]): string[] {
  const seen = new Set<string>();
  return sheets.map((sheet, i) => {
    const base =
      cut(sheet.name.replace(XML_ILLEGAL, '').replace(/[\\/?*[\]:]/g, ' ').replace(/^'+|'+$/g, ''), MAX_SHEET_NAME).trim() || `Sheet${i + 1}`;
    let name = base;
    for (let n = 2; seen.has(name.toLowerCase()); n++) {
      const suffix = ` (${n})`;
      name = cut(base, MAX_SHEET_NAME - suffix.length) + suffix;
    }
    seen.add(name.toLowerCase());
    return name;
  });
}

/** 0 → A, 25 → Z, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

// ---------------------------------------------------------------- styles

/** Cell formats, deduplicated: index 0 is Excel's default, the rest are added as rows ask for them. */
class Styles {
  private fills: string[] = [];
  private xfs = new Map<string, number>([['0|', 0]]);

  index(style: XlsxRowStyle | undefined): number {
    if (!style || (!style.bold && !style.fill)) return 0;
    const fill = style.fill ? argb(style.fill) : '';
    const key = `${style.bold ? 1 : 0}|${fill}`;
    let i = this.xfs.get(key);
    if (i === undefined) {
      if (fill && !this.fills.includes(fill)) this.fills.push(fill);
      i = this.xfs.size;
      this.xfs.set(key, i);
    }
    return i;
  }

  xml(): string {
    // Fills 0 and 1 are reserved by the format (none, gray125); ours follow.
    const fills = ['<fill><patternFill patternType="none"/></fill>', '<fill><patternFill patternType="gray125"/></fill>'];
    for (const f of this.fills) fills.push(`<fill><patternFill patternType="solid"><fgColor rgb="${f}"/><bgColor indexed="64"/></patternFill></fill>`);
    const xfs = [...this.xfs.keys()].map((key) => {
      const [bold, fill] = key.split('|') as [string, string];
      const fillId = fill ? this.fills.indexOf(fill) + 2 : 0;
      const apply = `${bold === '1' ? ' applyFont="1"' : ''}${fill ? ' applyFill="1"' : ''}`;
      return `<xf numFmtId="0" fontId="${bold}" fillId="${fillId}" borderId="0" xfId="0"${apply}/>`;
    });
    const font = '<sz val="11"/><name val="Calibri"/><family val="2"/>';
    return (
      `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}">` +
      `<fonts count="2"><font>${font}</font><font><b/>${font}</font></fonts>` +
      `<fills count="${fills.length}">${fills.join('')}</fills>` +
      '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
      '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
      `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
      '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
      '</styleSheet>'
    );
  }
}

function argb(hex: string): string {
  const h = hex.replace(/^#/, '').toUpperCase();
  if (/^[0-9A-F]{6}$/.test(h)) return `FF${h}`;
  if (/^[0-9A-F]{8}$/.test(h)) return h;
  throw new Error(`XLSX_BAD_COLOUR: ${hex}`);
}

// ---------------------------------------------------------------- parts

/** Text appears once in the file however many cells hold it (unit names repeat on every row). */
class SharedStrings {
  private ids = new Map<string, number>();
  count = 0;

  id(text: string): number {
    this.count++;
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(text, id);
    }
    return id;
  }

  *xml(): Generator<string> {
    yield `${XML_HEAD}<sst xmlns="${NS_MAIN}" count="${this.count}" uniqueCount="${this.ids.size}">`;
    for (const text of this.ids.keys()) yield `<si><t xml:space="preserve">${text}</t></si>`;
    yield '</sst>';
  }
}

function* sheetXml(sheet: XlsxSheet, first: boolean, strings: SharedStrings, styles: Styles): Generator<string> {
  const width = Math.max(1, ...sheet.rows.map((r) => r.length));
  const height = Math.max(1, sheet.rows.length);
  yield `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`;
  // Fit to page (the width: fitToHeight 0 lets the rows run on over as many pages as they need).
  yield '<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>';
  yield `<dimension ref="A1:${columnName(width - 1)}${height}"/>`;
  const selected = first ? ' tabSelected="1"' : '';
  yield sheet.header
    ? `<sheetViews><sheetView${selected} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
      '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
    : `<sheetViews><sheetView${selected} workbookViewId="0"/></sheetViews>`;
  yield '<sheetFormatPr defaultRowHeight="15"/>';
  const cols = (sheet.widths ?? []).flatMap((w, i) =>
    typeof w === 'number' && Number.isFinite(w) && w > 0 ? [`<col min="${i + 1}" max="${i + 1}" width="${Math.min(255, w)}" customWidth="1"/>`] : [],
  );
  if (cols.length) yield `<cols>${cols.join('')}</cols>`;
  yield '<sheetData>';
  const columns = Array.from({ length: width }, (_, i) => columnName(i));
  for (let r = 0; r < sheet.rows.length; r++) {
    const row = sheet.rows[r]!;
    const style = styles.index({ ...sheet.rowStyle?.(row, r), ...(sheet.header && r === 0 ? { bold: true } : {}) });
    const s = style ? ` s="${style}"` : '';
    let xml = `<row r="${r + 1}">`;
    for (let c = 0; c < row.length; c++) {
      const ref = `${columns[c]}${r + 1}`;
      const v = row[c];
      if (typeof v === 'number' && Number.isFinite(v)) xml += `<c r="${ref}"${s}><v>${v}</v></c>`;
      // NaN and Infinity have no XLSX form; showing them as text keeps the fault visible instead of a blank.
      else if (typeof v === 'number' || (typeof v === 'string' && v !== '')) xml += `<c r="${ref}"${s} t="s"><v>${strings.id(cellText(String(v)))}</v></c>`;
      else if (style) xml += `<c r="${ref}"${s}/>`;
    }
    yield `${xml}</row>`;
  }
  yield '</sheetData><printOptions gridLines="1"/><pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>';
  // paperSize 9 is A4.
  yield `<pageSetup paperSize="9" orientation="${printOrientation(sheet)}" fitToWidth="1" fitToHeight="0"/></worksheet>`;
}

/** A sheet's name as a formula names it: in single quotes, its own quotes doubled. */
const quotedSheet = (name: string) => `'${name.replace(/'/g, "''")}'`;

function workbookXml(names: string[], headers: boolean[]): string {
  const sheets = names.map((n, i) => `<sheet name="${xmlText(n)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  // The header row repeats at the top of every printed page of its sheet.
  const titles = names.flatMap((n, i) => (headers[i] ? [`<definedName name="_xlnm.Print_Titles" localSheetId="${i}">${xmlText(quotedSheet(n))}!$1:$1</definedName>`] : []));
  const defined = titles.length ? `<definedNames>${titles.join('')}</definedNames>` : '';
  return `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheets}</sheets>${defined}</workbook>`;
}

function workbookRels(count: number): string {
  const rel = (id: string, type: string, target: string) => `<Relationship Id="${id}" Type="${NS_REL}/${type}" Target="${target}"/>`;
  const rels = Array.from({ length: count }, (_, i) => rel(`rId${i + 1}`, 'worksheet', `worksheets/sheet${i + 1}.xml`));
  rels.push(rel(`rId${count + 1}`, 'styles', 'styles.xml'), rel(`rId${count + 2}`, 'sharedStrings', 'sharedStrings.xml'));
  return `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">${rels.join('')}</Relationships>`;
}

function contentTypes(count: number): string {
  const ct = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
  const override = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;
  const sheets = Array.from({ length: count }, (_, i) => override(`/xl/worksheets/sheet${i + 1}.xml`, `${ct}.worksheet+xml`));
  return (
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    override('/xl/workbook.xml', `${ct}.sheet.main+xml`) +
    sheets.join('') +
    override('/xl/styles.xml', `${ct}.styles+xml`) +
    override('/xl/sharedStrings.xml', `${ct}.sharedStrings+xml`) +
    override('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml') +
    '</Types>'
  );
}

const ROOT_RELS =
  `${XML_HEAD}<Relationships xmlns="${NS_PKG_REL}">` +
  `<Relationship Id="rId1" Type="${NS_REL}/officeDocument" Target="xl/workbook.xml"/>` +
  `<Relationship Id="rId2" Type="${NS_PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>` +
  '</Relationships>';

function coreXml(creator: string, created: Date): string {
  const when = created.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return (
    `${XML_HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:creator>${xmlText(creator)}</dc:creator>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

// ---------------------------------------------------------------- workbook

/** The workbook as the bytes of an .xlsx file. */
export async function writeXlsx(sheets: readonly XlsxSheet[], opts: XlsxOptions = {}): Promise<Uint8Array> {
  // A workbook without a sheet is a file Excel refuses to open.
  const book = sheets.length ? sheets : [{ name: 'Sheet1', rows: [] }];
  const names = sheetNames(book);
  const created = opts.created ?? new Date(Date.UTC(1980, 0, 1));
  const deflate = opts.compress !== false && deflateAvailable();
  const strings = new SharedStrings();
  const styles = new Styles();
  const entry = (path: string, parts: Iterable<string>) => zipEntry(path, parts, deflate);

  // Sheets first: they fill the shared strings and styles the later parts list.
  const sheetEntries: ZipEntry[] = [];
  for (let i = 0; i < book.length; i++) sheetEntries.push(await entry(`xl/worksheets/sheet${i + 1}.xml`, sheetXml(book[i]!, i === 0, strings, styles)));
  const entries = [
    await entry('[Content_Types].xml', [contentTypes(book.length)]),
    await entry('_rels/.rels', [ROOT_RELS]),
    await entry('docProps/core.xml', [coreXml(opts.creator ?? '', created)]),
    await entry('xl/workbook.xml', [workbookXml(names, book.map((b) => !!b.header))]),
    await entry('xl/_rels/workbook.xml.rels', [workbookRels(book.length)]),
    await entry('xl/styles.xml', [styles.xml()]),
    await entry('xl/sharedStrings.xml', strings.xml()),
    ...sheetEntries,
  ];
  return zip(entries, created);
}
