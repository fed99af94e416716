// Abuse defences on the public forms: body limit (413), rate limit (429), honeypot, Turnstile, photo checks.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp } from '../../helpers/app.ts';
import { capturingLogger, postForm, postJson, VALID } from '../../helpers/public-forms.ts';
import { hazards, submissions } from '../../../src/db/schema.ts';
import { signIn } from '../../helpers/unit-portal.ts';
import { memoryRateLimiter } from '../../../src/submissions/abuse/rate-limit.ts';
import { workersRateLimiter } from '../../../src/runtime/workers/rate-limiter.ts';
import { exifOrientation, memoryPhotoStore, sniffPhotoType, stripJpegMetadata, stripPngMetadata, stripWebpMetadata } from '../../../src/submissions/photos.ts';
import { MAX_PHOTO_BYTES } from '../../../src/lib/body-limit.ts';
import { startNodeServer } from '../../helpers/node-server.ts';

const VALID_API = { satisfaction: 'satisfied', aware: true, participated: true };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = async (r: Response) => (await r.json()) as any;

// A minimal JPEG: SOI, APP0 (JFIF), APP1 (EXIF with a GPS marker), a comment, DQT-ish segment, SOS, data, EOI.
function segment(marker: number, payload: string | number[]): number[] {
  const bytes = typeof payload === 'string' ? [...new TextEncoder().encode(payload)] : payload;
  const len = bytes.length + 2;
  return [0xff, marker, len >> 8, len & 0xff, ...bytes];
}
const JPEG_WITH_EXIF = new Uint8Array([
  0xff, 0xd8,
  ...segment(0xe0, 'JFIF\u0000\u0001\u0001'),
  ...segment(0xe1, 'Exif\u0000\u0000GPSLatitude34.36N107.14E'),
  ...segment(0xfe, 'taken by 周九'),
  ...segment(0xdb, [0, 1, 2, 3]),
  0xff, 0xda, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 0x11, 0x22, 0x33,
  0xff, 0xd9,
]);

function pngChunk(type: string, data: number[]): number[] {
  const len = data.length;
  return [(len >>> 24) & 0xff, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff, ...new TextEncoder().encode(type), ...data, 0, 0, 0, 0];
}
const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
  ...pngChunk('IHDR', new Array(13).fill(1)),
  ...pngChunk('tEXt', [...new TextEncoder().encode('GPS\u000034.36N')]),
  ...pngChunk('IDAT', [1, 2, 3]),
  ...pngChunk('IEND', []),
]);

function riffChunk(type: string, data: number[]): number[] {
  const n = data.length;
  return [...new TextEncoder().encode(type), n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff, ...data, ...(n % 2 ? [0] : [])];
}
function webp(chunks: number[][]): Uint8Array {
  const body = chunks.flat();
  const size = 4 + body.length;
  return new Uint8Array([...new TextEncoder().encode('RIFF'), size & 0xff, (size >> 8) & 0xff, (size >> 16) & 0xff, size >>> 24, ...new TextEncoder().encode('WEBP'), ...body]);
}

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

/** A stand-in for Turnstile's siteverify: accepts the token "good" only. */
async function fakeSiteverify(): Promise<{ url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      calls.push(body);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ success: body.includes('good'), 'error-codes': body.includes('good') ? [] : ['invalid-input-response'] }));
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify`, calls };
}

describe('413: body limit', () => {
  it('the JSON API refuses a body over 64 KB with JSON in Chinese', async () => {
    const t = await makeTestApp();
    const res = await postJson(t, '/api/v1/forms/mass-feedback/submissions', { satisfaction: 'satisfied', aware: true, participated: true, opinion: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(await json(res)).toEqual({ error: 'PAYLOAD_TOO_LARGE', message: '提交的内容太大，请缩小照片或删减文字后再试' });
    expect(await t.db.select().from(submissions)).toHaveLength(0);
  });

  it('a browser form over the limit gets a Chinese page', async () => {
    const t = await makeTestApp();
    const res = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], opinion: '长'.repeat(30_000) });
    expect(res.status).toBe(413);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('提交的内容太大');
  });

  it('a multipart post with a photo far over the cap is refused', async () => {
    const t = await makeTestApp();
    const huge = new Uint8Array(MAX_PHOTO_BYTES + 1024 * 1024);
    huge.set(JPEG_WITH_EXIF.subarray(0, 4));
    const res = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'] }, { files: { photo: new Blob([huge], { type: 'image/jpeg' }) } });
    expect(res.status).toBe(413);
  });
});

describe('429: rate limit', () => {
  it('limits per client address and form, with Retry-After and a Chinese message', async () => {
    const log = capturingLogger();
    const t = await makeTestApp({ config: { SUBMIT_RATE_LIMIT: '2' }, deps: { log } });
    const from = (ip: string) => ({ 'x-forwarded-for': `${ip}, 10.0.0.1` });
    const body = { satisfaction: 'satisfied', aware: true, participated: true };
    for (let i = 0; i < 2; i++) expect((await postJson(t, '/api/v1/forms/mass-feedback/submissions', body, from('203.0.113.5'))).status).toBe(201);
    const limited = await postJson(t, '/api/v1/forms/mass-feedback/submissions', body, from('203.0.113.5'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await json(limited)).toMatchObject({ error: 'RATE_LIMITED', message: '提交太频繁了，请稍等一分钟再试' });
    // The browser form shares the count for that form and address, and answers with a page.
    const page = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'] }, { headers: { 'cf-connecting-ip': '203.0.113.5' } });
    expect(page.status).toBe(429);
    expect(await page.text()).toContain('提交太频繁了');
    // Another address, or another form from the same address, is not affected.
    expect((await postJson(t, '/api/v1/forms/mass-feedback/submissions', body, from('198.51.100.7'))).status).toBe(201);
    expect((await postJson(t, '/api/v1/forms/hazard-tip/submissions', VALID['hazard-tip'], from('203.0.113.5'))).status).toBe(201);
    expect(await t.db.select().from(submissions)).toHaveLength(4);
    expect(log.lines.filter((l) => l.includes('rate limited'))).toHaveLength(2);
  });

  it('uses the injected limiter (the Workers binding) when there is one', async () => {
    const keys: string[] = [];
    const binding = { limit: async ({ key }: { key: string }) => (keys.push(key), { success: false }) };
    const t = await makeTestApp({ deps: { rateLimiter: workersRateLimiter(binding) } });
    const res = await postJson(t, '/api/v1/forms/mass-feedback/submissions', {}, { 'cf-connecting-ip': '192.0.2.9' });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(keys).toEqual(['mass-feedback:192.0.2.9']);
  });

  it('the in-memory limiter resets per window and stays bounded', async () => {
    let now = 0;
    const limiter = memoryRateLimiter({ limit: 2, windowMs: 60_000, maxKeys: 100, now: () => now });
    expect((await limiter.limit('a')).success).toBe(true);
    expect((await limiter.limit('a')).success).toBe(true);
    const third = await limiter.limit('a');
    expect(third).toEqual({ success: false, retryAfter: 60 });
    now = 30_000;
    expect((await limiter.limit('a')).retryAfter).toBe(30);
    now = 60_000;
    expect((await limiter.limit('a')).success).toBe(true);
    for (let i = 0; i < 1000; i++) await limiter.limit(`k${i}`);
    expect(limiter.size()).toBe(100);
  });
});

describe('honeypot', () => {
  it('a filled honeypot looks like success but stores nothing', async () => {
    const log = capturingLogger();
    const t = await makeTestApp({ deps: { log } });
    const res = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], _website: 'http://spam.example' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('已收到');
    expect(await t.db.select().from(submissions)).toHaveLength(0);
    expect(log.lines.some((l) => l.includes('honeypot'))).toBe(true);
  });
});

describe('Turnstile', () => {
  it('is not asked for when no secret is set', async () => {
    const t = await makeTestApp({ config: { TURNSTILE_SITE_KEY: 'site-key' } });
    expect(await (await t.app.request('/f/mass-feedback')).text()).not.toContain('cf-turnstile');
    expect((await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'] })).status).toBe(303);
  });

  it('when set, the page carries the widget and a post needs a token siteverify accepts', async () => {
    const verify = await fakeSiteverify();
    const t = await makeTestApp({ config: { TURNSTILE_SITE_KEY: 'site-key-1', TURNSTILE_SECRET: 'secret-1', TURNSTILE_VERIFY_URL: verify.url } });
    const page = await (await t.app.request('/f/mass-feedback')).text();
    expect(page).toContain('data-sitekey="site-key-1"');
    expect(new TextEncoder().encode(page).length).toBeLessThan(30 * 1024);

    const without = await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'] });
    expect(without.status).toBe(422);
    const html = await without.text();
    expect(html).toContain('请完成页面上的人机验证后再提交');
    expect(html).toMatch(/name="aware"[^>]*value="yes" checked=""/);

    expect((await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], 'cf-turnstile-response': 'bad' })).status).toBe(422);
    expect((await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], 'cf-turnstile-response': 'good' })).status).toBe(303);
    expect(verify.calls.some((c) => c.includes('secret-1'))).toBe(true);

    const api = await postJson(t, '/api/v1/forms/mass-feedback/submissions', { satisfaction: 'satisfied', aware: true, participated: true });
    expect(api.status).toBe(403);
    expect((await json(api)).error).toBe('TURNSTILE_FAILED');
    const apiOk = await postJson(t, '/api/v1/forms/mass-feedback/submissions', { satisfaction: 'satisfied', aware: true, participated: true }, { 'cf-turnstile-response': 'good' });
    expect(apiOk.status).toBe(201);
    expect(await t.db.select().from(submissions)).toHaveLength(2);
  });

  it('an unreachable siteverify refuses rather than lets everything through', async () => {
    const t = await makeTestApp({ config: { TURNSTILE_SECRET: 's', TURNSTILE_VERIFY_URL: 'http://127.0.0.1:9/siteverify' } });
    expect((await postForm(t, '/f/mass-feedback', { ...VALID['mass-feedback'], 'cf-turnstile-response': 'good' })).status).toBe(422);
  });
});

describe('photos on hazard tips', () => {
  it('a JPEG is stored without its EXIF, and only its key goes in the payload', async () => {
    const photos = memoryPhotoStore();
    const t = await makeTestApp({ deps: { photos } });
    // The client's claimed type is ignored: the bytes decide.
    const res = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'] }, { files: { photo: new Blob([JPEG_WITH_EXIF], { type: 'text/plain' }) } });
    expect(res.status).toBe(303);
    const [row] = await t.db.select().from(submissions);
    const payload = JSON.parse(row!.payload);
    expect(payload.photo).toMatch(/^hazard-tip\/2014-11-04\/[a-z0-9]{20}\.jpg$/);
    const stored = await photos.get(payload.photo);
    expect(stored!.type).toBe('image/jpeg');
    const text = new TextDecoder('latin1').decode(stored!.bytes);
    expect(text).not.toContain('GPS');
    expect(text).not.toContain('Exif');
    expect(text).toContain('JFIF');
    expect([...stored!.bytes.slice(-2)]).toEqual([0xff, 0xd9]);
  });

  it('a tip photo is shown to the office even where the runtime configured no photo store', async () => {
    const t = await makeTestApp();
    expect((await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'] }, { files: { photo: new Blob([JPEG_WITH_EXIF]) } })).status).toBe(303);
    const [row] = await t.db.select().from(submissions);
    const key = JSON.parse(row!.payload).photo as string;
    const [hazard] = await t.db.select().from(hazards);
    const office = await signIn(t, 'office');
    const res = await office.page(`/hazards/${hazard!.id}/photos/${key}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
  });

  const refused = [
    { name: 'a GIF', bytes: new TextEncoder().encode('GIF89a....'), message: '只能上传 JPEG、PNG 或 WebP 格式的照片' },
    { name: 'a script named photo.jpg', bytes: new TextEncoder().encode('<script>alert(1)</script>'), message: '只能上传 JPEG、PNG 或 WebP 格式的照片' },
    { name: 'a photo over the size cap', bytes: (() => { const b = new Uint8Array(MAX_PHOTO_BYTES + 1); b.set([0xff, 0xd8, 0xff]); return b; })(), message: '照片不能超过 8 MB' },
  ];
  it.each(refused)('$name is refused beside the photo field, the other answers kept', async ({ bytes, message }) => {
    const photos = memoryPhotoStore();
    const t = await makeTestApp({ deps: { photos } });
    const res = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'] }, { files: { photo: new Blob([bytes], { type: 'image/jpeg' }) } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(`id="f-photo-err">${message}`);
    expect(html).toContain('value="中山东路12号出租屋"');
    expect(await t.db.select().from(submissions)).toHaveLength(0);
    expect(photos.keys()).toEqual([]);
  });

  it('a good photo with another answer wrong is kept: stored stripped, named by a signed reference the resend attaches', async () => {
    const photos = memoryPhotoStore();
    const t = await makeTestApp({ deps: { photos } });
    const res = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'], place: '' }, { files: { photo: new Blob([JPEG_WITH_EXIF]) } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('id="f-place-err">请填写这一项');
    expect(html).toContain('<a href="#f-place">请填写“隐患地点”</a>');
    // Not an error: the photo is received and said so beside the field.
    expect(html).not.toContain('f-photo-err');
    expect(html).toContain('照片已收到，提交时会一并保存');
    expect(photos.keys()).toHaveLength(1);
    const key = photos.keys()[0]!;
    expect(Buffer.from((await photos.get(key))!.bytes).includes(Buffer.from('Exif'))).toBe(false);
    const ref = /name="_photo_photo" value="([^"]+)"/.exec(html)![1]!;
    expect(ref.startsWith(`${key}|`)).toBe(true);
    expect(await t.db.select().from(submissions)).toHaveLength(0);

    // A forged or altered reference attaches nothing; the signed one attaches the stored photo, with no new upload.
    const forged = ref.slice(0, -2) + (ref.endsWith('AA') ? 'BB' : 'AA');
    const tampered = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'], _photo_photo: forged });
    expect(tampered.status).toBe(303);
    const resend = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'], _photo_photo: ref });
    expect(resend.status).toBe(303);
    const rows = await t.db.select().from(submissions).orderBy(submissions.id);
    expect(rows.map((r) => JSON.parse(r.payload).photo)).toEqual([undefined, key]);
    expect(photos.keys()).toEqual([key]);

    // Two hours later the reference is worthless.
    t.setNow('2014-11-04T04:00:01Z');
    const late = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'], _photo_photo: ref });
    expect(late.status).toBe(303);
    const last = (await t.db.select().from(submissions).orderBy(submissions.id)).at(-1)!;
    expect(JSON.parse(last.payload).photo).toBeUndefined();
  });

  it('a photo key typed into the form is ignored', async () => {
    const t = await makeTestApp();
    const res = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'], photo: 'hazard-tip/2014-11-04/someoneelsesphoto1.jpg' }, { files: {} });
    expect(res.status).toBe(303);
    const [row] = await t.db.select().from(submissions);
    expect(JSON.parse(row!.payload).photo).toBeUndefined();
  });

  it('keeps only the orientation of a portrait photo from its EXIF', () => {
    const exif = [
      ...new TextEncoder().encode('Exif\u0000\u0000II*\u0000'), 8, 0, 0, 0, // little-endian TIFF, IFD0 at 8
      2, 0, // two entries
      0x0f, 0x01, 2, 0, 4, 0, 0, 0, 0x41, 0x42, 0x43, 0, // Make "ABC"
      0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, // Orientation 6 (rotate 90°)
      0, 0, 0, 0,
      ...new TextEncoder().encode('GPSLatitude34.36N'),
    ];
    const jpeg = new Uint8Array([0xff, 0xd8, ...segment(0xe1, exif), 0xff, 0xda, 0, 4, 1, 2, 9, 9, 0xff, 0xd9]);
    const out = stripJpegMetadata(jpeg)!;
    const text = new TextDecoder('latin1').decode(out);
    expect(text).not.toContain('GPS');
    expect(text).not.toContain('ABC');
    expect(out[2]).toBe(0xff);
    expect(out[3]).toBe(0xe1);
    const length = (out[4]! << 8) | out[5]!;
    expect(exifOrientation(out.subarray(6, 4 + length))).toBe(6);
    expect([...out.slice(-10)]).toEqual([0xff, 0xda, 0, 4, 1, 2, 9, 9, 0xff, 0xd9]);
    // Without an orientation, nothing of the EXIF remains.
    expect(new TextDecoder('latin1').decode(stripJpegMetadata(JPEG_WITH_EXIF)!)).not.toContain('Exif');
  });

  it('sniffs types by magic bytes', () => {
    expect(sniffPhotoType(JPEG_WITH_EXIF)).toBe('image/jpeg');
    expect(sniffPhotoType(PNG)).toBe('image/png');
    expect(sniffPhotoType(webp([riffChunk('VP8 ', [1, 2, 3, 4])]))).toBe('image/webp');
    expect(sniffPhotoType(new TextEncoder().encode('RIFF....AVI '))).toBeNull();
    expect(sniffPhotoType(new Uint8Array([0xff, 0xd8]))).toBeNull();
  });

  it('strips PNG text chunks and WebP EXIF/XMP, keeping the image valid', () => {
    const png = stripPngMetadata(PNG)!;
    expect(new TextDecoder('latin1').decode(png)).not.toContain('GPS');
    expect(new TextDecoder('latin1').decode(png)).toContain('IDAT');
    expect(png.length).toBe(PNG.length - (12 + 10));

    const vp8x = [0x0c, 0, 0, 0, 1, 0, 0, 1, 0, 0];
    const w = webp([riffChunk('VP8X', vp8x), riffChunk('VP8 ', [1, 2, 3, 4]), riffChunk('EXIF', [...new TextEncoder().encode('GPS34')]), riffChunk('XMP ', [1, 2])]);
    const out = stripWebpMetadata(w)!;
    const text = new TextDecoder('latin1').decode(out);
    expect(text).not.toContain('GPS');
    expect(text).not.toContain('XMP ');
    expect(out[20]! & 0x0c).toBe(0); // VP8X flags no longer announce EXIF or XMP
    const riffSize = out[4]! | (out[5]! << 8) | (out[6]! << 16) | (out[7]! << 24);
    expect(riffSize).toBe(out.length - 8);

    // A file whose structure cannot be followed is refused (null), never passed on as it came (issue 16, finding 7).
    expect(stripJpegMetadata(new Uint8Array([0xff, 0xd8, 0x00, 0x01, 0x02, 0x03]))).toBeNull();
    expect(stripPngMetadata(PNG.subarray(0, PNG.length - 12))).toBeNull(); // no IEND
    expect(stripWebpMetadata(new Uint8Array([...w, 1, 2, 3]))).toBeNull(); // bytes after the last chunk
  });

  it('refuses a JPEG with a stray byte after its EXIF segment, with a Chinese field error, and stores nothing', async () => {
    const exifEnd = JPEG_WITH_EXIF.findIndex((x, i) => x === 0xff && JPEG_WITH_EXIF[i + 1] === 0xfe); // the comment after APP1
    const stray = new Uint8Array([...JPEG_WITH_EXIF.subarray(0, exifEnd), 0x00, ...JPEG_WITH_EXIF.subarray(exifEnd)]);
    expect(stripJpegMetadata(stray)).toBeNull();
    const photos = memoryPhotoStore();
    const t = await makeTestApp({ deps: { photos } });
    const res = await postForm(t, '/f/hazard-tip', { ...VALID['hazard-tip'] }, { files: { photo: new Blob([stray], { type: 'image/jpeg' }) } });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('无法读取这张照片');
    expect(photos.keys()).toEqual([]);
    expect(await t.db.select().from(submissions)).toHaveLength(0);
    // Trailing bytes after EOI are not kept either.
    const tail = stripJpegMetadata(new Uint8Array([...JPEG_WITH_EXIF, ...new TextEncoder().encode('GPS34.36N')]))!;
    expect(new TextDecoder('latin1').decode(tail)).not.toContain('GPS');
  });
});

describe('413 on the real Node server: judged by Content-Length, or counted as a chunked body streams', () => {
  const post = (url: string, body: string, chunked: boolean) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const bytes = Buffer.from(body);
      const headers: Record<string, string | number> = { 'content-type': 'application/json' };
      if (!chunked) headers['content-length'] = bytes.length;
      const req = request(url, { method: 'POST', headers }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (d: Buffer) => parts.push(d));
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(parts).toString() }));
      });
      req.on('error', reject);
      // Without a length Node sends the body chunked; in two writes so it really streams.
      req.write(bytes.subarray(0, 10));
      req.end(bytes.subarray(10));
    });

  it.each([false, true])('chunked %s: over 64 KB is a 413 in Chinese and nothing is stored; under it is stored', async (chunked) => {
    const server = await startNodeServer();
    try {
      const url = `${server.url}/api/v1/forms/mass-feedback/submissions`;
      const over = await post(url, JSON.stringify({ ...VALID_API, opinion: 'x'.repeat(70_000) }), chunked);
      expect(over.status).toBe(413);
      expect(JSON.parse(over.body)).toEqual({ error: 'PAYLOAD_TOO_LARGE', message: '提交的内容太大，请缩小照片或删减文字后再试' });
      expect(await server.db.select().from(submissions)).toHaveLength(0);
      const under = await post(url, JSON.stringify({ ...VALID_API, opinion: '路灯坏了' }), chunked);
      expect(under.status).toBe(201);
      expect(await server.db.select().from(submissions)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });
});

describe('413: the declared length is what is judged', () => {
  it.each([
    ['a length over the cap', String(64 * 1024 + 1)],
    ['an unreadable length', 'lots'],
  ])('%s is refused before the body is read, and nothing is stored', async (_, length) => {
    const t = await makeTestApp();
    const res = await t.app.request('/api/v1/forms/mass-feedback/submissions', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': length },
      body: JSON.stringify(VALID_API),
    });
    expect(res.status).toBe(413);
    expect(await t.db.select().from(submissions)).toHaveLength(0);
  });
});
