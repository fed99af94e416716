// A streaming ZIP writer on web-standard APIs (CompressionStream, no ZIP64): the container an .xlsx file is.
// Kept apart from the spreadsheet parts so the workbook code reads as XML and the byte layout as ZIP.

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO-HDLC, as ZIP uses), continued from `crc` so parts can be fed piece by piece. */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

export interface ZipEntry {
  name: Uint8Array;
  crc: number;
  size: number;
  method: 0 | 8;
  data: Uint8Array[];
  compressedSize: number;
}

/** Encodes the XML in pieces of about this many characters, so a 50,000-row sheet never exists as one string. */
const CHUNK_CHARS = 1 << 16;

function* encodeChunks(parts: Iterable<string>): Generator<Uint8Array<ArrayBuffer>> {
  const encoder = new TextEncoder();
  let pending: string[] = [];
  let length = 0;
  for (const part of parts) {
    pending.push(part);
    length += part.length;
    if (length >= CHUNK_CHARS) {
      yield encoder.encode(pending.join('')) as Uint8Array<ArrayBuffer>;
      pending = [];
      length = 0;
    }
  }
  // TextEncoder always answers with a fresh ArrayBuffer; Workers' types just do not say so.
  if (pending.length) yield encoder.encode(pending.join('')) as Uint8Array<ArrayBuffer>;
}

export function deflateAvailable(): boolean {
  try {
    new CompressionStream('deflate-raw');
    return true;
  } catch {
    return false;
  }
}

export async function zipEntry(path: string, parts: Iterable<string>, deflate: boolean): Promise<ZipEntry> {
  let crc = 0;
  let size = 0;
  const chunks = encodeChunks(parts);
  if (!deflate) {
    const data: Uint8Array[] = [];
    for (const chunk of chunks) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      data.push(chunk);
    }
    return { name: new TextEncoder().encode(path), crc, size, method: 0, data, compressedSize: size };
  }
  const stream = new CompressionStream('deflate-raw');
  const writer = stream.writable.getWriter();
  // Read while writing: the stream's queue is small and writes wait for it to drain.
  const reading = (async () => {
    const out: Uint8Array[] = [];
    const reader = stream.readable.getReader();
    for (let r = await reader.read(); !r.done; r = await reader.read()) out.push(r.value);
    return out;
  })();
  for (const chunk of chunks) {
    crc = crc32(chunk, crc);
    size += chunk.length;
    await writer.write(chunk);
  }
  await writer.close();
  const data = await reading;
  const compressedSize = data.reduce((n, d) => n + d.length, 0);
  return { name: new TextEncoder().encode(path), crc, size, method: 8, data, compressedSize };
}

/** MS-DOS date and time, as ZIP headers carry them (local time by convention; we write UTC). */
function dosDateTime(d: Date): { date: number; time: number } {
  const year = Math.min(2107, Math.max(1980, d.getUTCFullYear()));
  return {
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

/** A ZIP archive: local header + data per entry, then the central directory and its end record. No ZIP64. */
export function zip(entries: ZipEntry[], modified: Date): Uint8Array {
  const { date, time } = dosDateTime(modified);
  const out: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const e of entries) {
    const local = new DataView(new ArrayBuffer(30));
    local.setUint32(0, 0x04034b50, true);
    local.setUint16(4, 20, true); // version needed: 2.0 (deflate)
    local.setUint16(6, 0, true); // flags: sizes are known, names are ASCII
    local.setUint16(8, e.method, true);
    local.setUint16(10, time, true);
    local.setUint16(12, date, true);
    local.setUint32(14, e.crc, true);
    local.setUint32(18, e.compressedSize, true);
    local.setUint32(22, e.size, true);
    local.setUint16(26, e.name.length, true);
    local.setUint16(28, 0, true);
    out.push(new Uint8Array(local.buffer), e.name, ...e.data);

    const dir = new DataView(new ArrayBuffer(46));
    dir.setUint32(0, 0x02014b50, true);
    dir.setUint16(4, 20, true); // made by: 2.0, MS-DOS attributes
    dir.setUint16(6, 20, true);
    dir.setUint16(8, 0, true);
    dir.setUint16(10, e.method, true);
    dir.setUint16(12, time, true);
    dir.setUint16(14, date, true);
    dir.setUint32(16, e.crc, true);
    dir.setUint32(20, e.compressedSize, true);
    dir.setUint32(24, e.size, true);
    dir.setUint16(28, e.name.length, true);
    // extra length, comment length, disk number, internal and external attributes: all zero
    dir.setUint32(42, offset, true);
    central.push(new Uint8Array(dir.buffer), e.name);

    offset += 30 + e.name.length + e.compressedSize;
  }
  const centralSize = central.reduce((n, c) => n + c.length, 0);
  if (offset + centralSize > 0xffffffff || entries.length > 0xffff) throw new Error('XLSX_TOO_LARGE');
  const end = new DataView(new ArrayBuffer(22));
  end.setUint32(0, 0x06054b50, true);
  end.setUint16(8, entries.length, true);
  end.setUint16(10, entries.length, true);
  end.setUint32(12, centralSize, true);
  end.setUint32(16, offset, true);
  out.push(...central, new Uint8Array(end.buffer));

  const bytes = new Uint8Array(offset + centralSize + 22);
  let at = 0;
  for (const part of out) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}
