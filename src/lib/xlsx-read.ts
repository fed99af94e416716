// A small XLSX reader on web-standard APIs (DecompressionStream), the same in workerd and Node: each sheet's
// cells as text, enough to import a form a district saved from Excel or WPS. Bounded, so a zip bomb is refused.
import { AppError } from './errors.ts';

export interface ReadSheet {
  name: string;
  /** Rows by position (empty rows kept as []), cells as text ('' for an empty cell). */
  rows: string[][];
}

const MAX_PART_BYTES = 8 * 1024 * 1024;
const bad = (why: string) => new AppError(422, 'BAD_XLSX', `无法读取这个 Excel 文件（${why}），请用 Excel 或 WPS 另存为 .xlsx 后重试`);

async function inflateRaw(data: Uint8Array, size: number): Promise<Uint8Array> {
  if (size > MAX_PART_BYTES) throw bad('文件过大');
  const stream = new Response(data.slice()).body!.pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_PART_BYTES) throw bad('文件过大');
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The zip's files by name, read through the central directory. */
async function unzip(bytes: Uint8Array): Promise<Map<string, () => Promise<string>>> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 65_557); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw bad('不是 xlsx 文件');
  const count = view.getUint16(eocd + 10, true);
  let p = view.getUint32(eocd + 16, true);
  const files = new Map<string, () => Promise<string>>();
  const decoder = new TextDecoder();
  for (let n = 0; n < count; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== 0x02014b50) throw bad('文件已损坏');
    const method = view.getUint16(p + 10, true);
    const compressed = view.getUint32(p + 20, true);
    const size = view.getUint32(p + 24, true);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    const local = view.getUint32(p + 42, true);
    const name = decoder.decode(bytes.subarray(p + 46, p + 46 + nameLen));
    p += 46 + nameLen + extraLen + commentLen;
    if (local + 30 > bytes.length) throw bad('文件已损坏');
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + compressed);
    files.set(name, async () => {
      if (method === 0) return decoder.decode(data);
      if (method === 8) return decoder.decode(await inflateRaw(data, size));
      throw bad('不支持的压缩方式');
    });
  }
  return files;
}

const unescapeXml = (s: string) =>
  s.replace(/&(lt|gt|quot|apos|amp|#x[0-9a-fA-F]+|#\d+);/g, (_, e: string) =>
    e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : e === 'amp' ? '&' : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))),
  );

/** The text of every <t> inside a string item (rich text runs joined). */
const itemText = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => unescapeXml(m[1]!)).join('');

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)?.[0] ?? 'A';
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export async function readXlsx(bytes: Uint8Array): Promise<ReadSheet[]> {
  const files = await unzip(bytes);
  const read = async (path: string) => {
    const f = files.get(path);
    if (!f) throw bad(`缺少 ${path}`);
    return f();
  };
  const workbook = await read('xl/workbook.xml');
  const rels = files.has('xl/_rels/workbook.xml.rels') ? await read('xl/_rels/workbook.xml.rels') : '';
  const targets = new Map([...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => [/\bId="([^"]+)"/.exec(m[0])?.[1] ?? '', /\bTarget="([^"]+)"/.exec(m[0])?.[1] ?? '']));
  const strings = files.has('xl/sharedStrings.xml') ? [...(await read('xl/sharedStrings.xml')).matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => itemText(m[1]!)) : [];
  const sheets: ReadSheet[] = [];
  for (const m of workbook.matchAll(/<sheet\b[^>]*>/g)) {
    const name = unescapeXml(/\bname="([^"]*)"/.exec(m[0])?.[1] ?? '');
    const rid = /\br:id="([^"]+)"/.exec(m[0])?.[1] ?? '';
    const target = (targets.get(rid) ?? '').replace(/^\/?xl\//, '').replace(/^\//, '');
    if (!target) continue;
    const xml = await read(`xl/${target}`);
    const rows: string[][] = [];
    for (const r of xml.matchAll(/<row\b([^>]*)>([\s\S]*?)<\/row>/g)) {
      const index = Number(/\br="(\d+)"/.exec(r[1]!)?.[1] ?? rows.length + 1) - 1;
      const row: string[] = [];
      for (const c of r[2]!.matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attrs = c[1]!;
        const col = columnIndex(/\br="([A-Z]+)\d*"/.exec(attrs)?.[1] ?? '');
        const t = /\bt="(\w+)"/.exec(attrs)?.[1];
        const body = c[2] ?? '';
        const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
        const text = t === 's' ? (strings[Number(v)] ?? '') : t === 'inlineStr' ? itemText(body) : v !== undefined ? unescapeXml(v) : '';
        while (row.length < col) row.push('');
        row[col] = text;
      }
      while (rows.length < index) rows.push([]);
      rows[index] = row;
    }
    sheets.push({ name, rows });
  }
  return sheets;
}
