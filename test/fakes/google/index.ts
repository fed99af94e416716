// A fake Google for tests: the OAuth token endpoint (checks the JWT's RS256 signature) and the Sheets v4 REST
// subset the mirror uses, with real A1 ranges, real error bodies, injectable failures and readable grids.
import { createServer, type IncomingMessage } from 'node:http';
import { createVerify, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { A1Error, formatA1, parseA1, type GridRange } from './a1.ts';

export type Cell = string | number | boolean;

export interface RecordedRequest {
  kind: 'token' | 'get' | 'batchUpdate' | 'valuesBatchUpdate' | 'valuesBatchClear' | 'valuesGet' | 'other';
  method: string;
  path: string;
  status: number;
  body: unknown;
  at: number;
}

export interface Injection {
  /** HTTP status to answer with (429, 500, 503…); omit to only delay. */
  status?: number;
  /** How many matching requests it applies to; default every one until cleared. */
  times?: number;
  retryAfter?: string;
  delayMs?: number;
  /** Which requests: the Sheets API (default), the token endpoint, or both. */
  target?: 'api' | 'token' | 'all';
}

interface Sheet {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
  columnWidths: Record<number, number>;
  conditionalFormats: unknown[];
  grid: (Cell | undefined)[][];
}

export interface FakeGoogle {
  url: string;
  apiRoot: string;
  tokenUrl: string;
  spreadsheetId: string;
  clientEmail: string;
  /** The service-account JSON key, as GOOGLE_SERVICE_ACCOUNT. */
  serviceAccountJson: string;
  requests: RecordedRequest[];
  tokensIssued: number;
  inject(injection: Injection): void;
  clearInjections(): void;
  /** A tab as a leader sees it: trailing empty rows and cells dropped, values as stored (numbers stay numbers). */
  readTab(title: string): Cell[][];
  sheetTitles(): string[];
  sheet(title: string): Omit<Sheet, 'grid'> | undefined;
  /** Puts a value into a cell as a person editing the sheet would (for tests of rebuilds). */
  scribble(title: string, row: number, col: number, value: Cell): void;
  /** Every value the fake received in request bodies, flattened, for personal-data scans. */
  receivedText(): string;
  reset(): void;
  close(): Promise<void>;
}

const SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
const DEFAULT_ROWS = 1000;
const DEFAULT_COLS = 26;

const STATUS_TEXT: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};
const DEFAULT_MESSAGES: Record<number, string> = {
  429: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com'.",
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};

interface Handled {
  kind: RecordedRequest['kind'];
  status: number;
  json: unknown;
  parsed: unknown;
  headers?: Record<string, string>;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startFakeGoogle(opts: { spreadsheetId?: string; clientEmail?: string } = {}): Promise<FakeGoogle> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const spreadsheetId = opts.spreadsheetId ?? 'sheet-test-1';
  const clientEmail = opts.clientEmail ?? 'pingan-sync@pingan-test.iam.gserviceaccount.com';
  const tokens = new Set<string>();
  let injections: (Injection & { left: number })[] = [];
  let sheets: Sheet[] = [];
  let nextSheetId = 1;
  const requests: RecordedRequest[] = [];
  let base = '';

  function reset() {
    sheets = [blankSheet(0, 'Sheet1', 0)];
    nextSheetId = 1;
    requests.length = 0;
    injections = [];
  }
  reset();

  function blankSheet(sheetId: number, title: string, index: number): Sheet {
    return { sheetId, title, index, rowCount: DEFAULT_ROWS, columnCount: DEFAULT_COLS, frozenRowCount: 0, columnWidths: {}, conditionalFormats: [], grid: [] };
  }

  const findSheet = (title: string) => sheets.find((s) => s.title === title);

  function resolveRange(a1: string): { sheet: Sheet; r: { startRow: number; startCol: number; endRow: number; endCol: number } } {
    let g: GridRange;
    try {
      g = parseA1(a1, sheets.map((s) => s.title));
    } catch (err) {
      if (err instanceof A1Error) throw new ApiError(400, err.message);
      throw err;
    }
    const sheet = g.sheet === null ? sheets[0] : findSheet(g.sheet);
    if (!sheet) throw new ApiError(400, `Unable to parse range: ${a1}`);
    const r = { startRow: g.startRow, startCol: g.startCol, endRow: g.endRow ?? sheet.rowCount, endCol: g.endCol ?? sheet.columnCount };
    if (r.endRow > sheet.rowCount || r.endCol > sheet.columnCount) {
      throw new ApiError(400, `Range (${formatA1(sheet.title, r)}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`);
    }
    return { sheet, r };
  }

  function checkToken(req: IncomingMessage) {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    if (!m || !tokens.has(m[1]!)) {
      throw new ApiError(401, 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.');
    }
  }

  function verifyAssertion(assertion: string): string | null {
    const parts = assertion.split('.');
    if (parts.length !== 3) return 'Invalid JWT: malformed';
    const [h, p, s] = parts as [string, string, string];
    const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
    if (header.alg !== 'RS256') return 'Invalid JWT: alg must be RS256';
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${h}.${p}`);
    if (!verifier.verify(publicKey, Buffer.from(s, 'base64url'))) return 'Invalid JWT Signature.';
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as { iss?: string; scope?: string; aud?: string; exp?: number; iat?: number };
    if (claims.iss !== clientEmail) return 'Invalid JWT: iss';
    if (!claims.scope?.split(' ').includes(SCOPE)) return 'Invalid JWT: scope';
    if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) return 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.';
    return null;
  }

  async function handle(req: IncomingMessage, body: string): Promise<Handled> {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path === '/token' && method === 'POST') {
      const form = new URLSearchParams(body);
      const parsed = Object.fromEntries(form);
      const failure = await injected('token', 'token', parsed);
      if (failure) return failure;
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
        return { kind: 'token', status: 400, json: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' }, parsed };
      }
      const problem = verifyAssertion(form.get('assertion') ?? '');
      if (problem) return { kind: 'token', status: 400, json: { error: 'invalid_grant', error_description: problem }, parsed };
      const token = `ya29.fake-${randomBytes(12).toString('hex')}`;
      tokens.add(token);
      fake.tokensIssued += 1;
      return { kind: 'token', status: 200, json: { access_token: token, expires_in: 3599, token_type: 'Bearer' }, parsed };
    }

    // Test controls, so a Worker under test can read what a leader would see.
    if (path.startsWith('/_fake/')) {
      if (path === '/_fake/requests') return { kind: 'other', status: 200, json: requests, parsed: null };
      if (path === '/_fake/tab') return { kind: 'other', status: 200, json: fake.readTab(url.searchParams.get('title') ?? ''), parsed: null };
      if (path === '/_fake/reset' && method === 'POST') {
        reset();
        return { kind: 'other', status: 200, json: {}, parsed: null };
      }
      if (path === '/_fake/inject' && method === 'POST') {
        fake.inject(JSON.parse(body) as Injection);
        return { kind: 'other', status: 200, json: {}, parsed: null };
      }
    }

    const m = /^\/v4\/spreadsheets\/([^/:]+)(?::(batchUpdate)|\/values:(batchUpdate|batchClear)|\/values\/(.+))?$/.exec(path);
    const kind: RecordedRequest['kind'] = !m ? 'other' : m[2] ? 'batchUpdate' : m[3] === 'batchUpdate' ? 'valuesBatchUpdate' : m[3] === 'batchClear' ? 'valuesBatchClear' : m[4] ? 'valuesGet' : 'get';
    let parsed: unknown = null;
    try {
      parsed = body ? JSON.parse(body) : null;
    } catch {
      throw Object.assign(new ApiError(400, 'Invalid JSON payload received.'), { kind, parsed: body });
    }
    try {
      checkToken(req);
      const failure = await injected('api', kind, parsed);
      if (failure) return failure;
      if (!m) throw new ApiError(404, 'Method not found.');
      if (decodeURIComponent(m[1]!) !== spreadsheetId) throw new ApiError(404, 'Requested entity was not found.');
      const expectMethod = kind === 'get' || kind === 'valuesGet' ? 'GET' : 'POST';
      if (method !== expectMethod) throw new ApiError(404, 'Method not found.');
      const json = apply(kind, parsed as Record<string, unknown>, m[4] ? decodeURIComponent(m[4]) : '', url.searchParams);
      return { kind, status: 200, json, parsed };
    } catch (err) {
      if (err instanceof ApiError) return { kind, status: err.code, json: errorBody(err.code, err.message), parsed };
      throw err;
    }
  }

  /** Applies the first live injection for the target: waits its delay, and answers its status if it has one. */
  async function injected(target: 'api' | 'token', kind: RecordedRequest['kind'], parsed: unknown): Promise<Handled | null> {
    const inj = injections.find((i) => i.left > 0 && (i.target ?? 'api') !== (target === 'api' ? 'token' : 'api'));
    if (!inj) return null;
    inj.left -= 1;
    if (inj.delayMs) await new Promise((r) => setTimeout(r, inj.delayMs));
    if (!inj.status) return null;
    const headers: Record<string, string> = inj.retryAfter ? { 'retry-after': inj.retryAfter } : {};
    const json = target === 'token' ? { error: 'internal_failure', error_description: 'Backend Error' } : errorBody(inj.status, DEFAULT_MESSAGES[inj.status] ?? 'Error');
    return { kind, status: inj.status, json, parsed, headers };
  }

  function apply(kind: RecordedRequest['kind'], body: Record<string, unknown>, range: string, query: URLSearchParams): unknown {
    switch (kind) {
      case 'get':
        return {
          spreadsheetId,
          properties: { title: '平安建设（测试）', locale: 'zh_CN', timeZone: 'Asia/Shanghai' },
          sheets: sheets.map((s) => ({
            properties: {
              sheetId: s.sheetId,
              title: s.title,
              index: s.index,
              sheetType: 'GRID',
              gridProperties: { rowCount: s.rowCount, columnCount: s.columnCount, ...(s.frozenRowCount ? { frozenRowCount: s.frozenRowCount } : {}) },
            },
            ...(s.conditionalFormats.length ? { conditionalFormats: s.conditionalFormats } : {}),
          })),
          spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${spreadsheetId}/edit`,
        };
      case 'batchUpdate':
        return structureUpdate(body);
      case 'valuesBatchUpdate':
        return valuesUpdate(body);
      case 'valuesBatchClear': {
        const ranges = body.ranges as string[] | undefined;
        if (!Array.isArray(ranges)) throw new ApiError(400, 'Invalid value at \'ranges\'');
        const resolved = ranges.map(resolveRange);
        const clearedRanges = resolved.map(({ sheet, r }) => {
          for (let row = r.startRow; row < Math.min(r.endRow, sheet.grid.length); row++) {
            const line = sheet.grid[row];
            if (line) for (let c = r.startCol; c < r.endCol; c++) line[c] = undefined;
          }
          return formatA1(sheet.title, r);
        });
        return { spreadsheetId, clearedRanges };
      }
      case 'valuesGet': {
        const { sheet, r } = resolveRange(range);
        const render = query.get('valueRenderOption') ?? 'FORMATTED_VALUE';
        const rows = trim(
          Array.from({ length: Math.max(0, Math.min(r.endRow, sheet.grid.length) - r.startRow) }, (_, i) =>
            Array.from({ length: r.endCol - r.startCol }, (_, j) => sheet.grid[r.startRow + i]?.[r.startCol + j]),
          ),
        ).map((row) => row.map((v) => (render === 'FORMATTED_VALUE' ? (v === undefined ? '' : typeof v === 'boolean' ? String(v).toUpperCase() : String(v)) : (v ?? ''))));
        return { range: formatA1(sheet.title, r), majorDimension: 'ROWS', ...(rows.length ? { values: rows } : {}) };
      }
      default:
        throw new ApiError(404, 'Method not found.');
    }
  }

  function structureUpdate(body: Record<string, unknown>) {
    const list = body.requests as Record<string, Record<string, unknown>>[] | undefined;
    if (!Array.isArray(list) || list.length === 0) throw new ApiError(400, 'Must specify at least one request.');
    // Google applies a batchUpdate atomically: work on a copy and keep it only if every request succeeds.
    const draft: Sheet[] = structuredClone(sheets);
    let draftNextId = nextSheetId;
    const replies: unknown[] = [];
    const byId = (id: unknown) => {
      const s = draft.find((x) => x.sheetId === (id ?? 0));
      if (!s) throw new ApiError(400, `Invalid requests[${replies.length}]: No grid with id: ${String(id)}`);
      return s;
    };
    for (const req of list) {
      const [name, ...more] = Object.keys(req);
      if (!name || more.length) throw new ApiError(400, `Invalid requests[${replies.length}]: exactly one kind of request expected`);
      const r = req[name]!;
      switch (name) {
        case 'addSheet': {
          const p = (r.properties ?? {}) as { sheetId?: number; title?: string; index?: number; gridProperties?: { rowCount?: number; columnCount?: number; frozenRowCount?: number } };
          const title = p.title ?? `Sheet${draft.length + 1}`;
          if (draft.some((s) => s.title === title)) {
            throw new ApiError(400, `Invalid requests[${replies.length}].addSheet: A sheet with the name "${title}" already exists. Please enter another name.`);
          }
          const id = p.sheetId ?? draftNextId++;
          const s = blankSheet(id, title, p.index ?? draft.length);
          s.rowCount = p.gridProperties?.rowCount ?? DEFAULT_ROWS;
          s.columnCount = p.gridProperties?.columnCount ?? DEFAULT_COLS;
          s.frozenRowCount = p.gridProperties?.frozenRowCount ?? 0;
          draft.push(s);
          replies.push({ addSheet: { properties: { sheetId: id, title, index: s.index, sheetType: 'GRID', gridProperties: { rowCount: s.rowCount, columnCount: s.columnCount } } } });
          break;
        }
        case 'updateSheetProperties': {
          const p = r.properties as { sheetId?: number; title?: string; gridProperties?: { rowCount?: number; columnCount?: number; frozenRowCount?: number } };
          const fields = String(r.fields ?? '');
          if (!fields) throw new ApiError(400, `Invalid requests[${replies.length}].updateSheetProperties: At least one field must be updated. Specify "*" to update all fields.`);
          const s = byId(p.sheetId);
          if (fields.includes('gridProperties.frozenRowCount') || fields === '*') s.frozenRowCount = p.gridProperties?.frozenRowCount ?? 0;
          if (fields.includes('gridProperties.rowCount')) s.rowCount = p.gridProperties?.rowCount ?? s.rowCount;
          if (fields.includes('gridProperties.columnCount')) s.columnCount = p.gridProperties?.columnCount ?? s.columnCount;
          if (fields.includes('title') && p.title) s.title = p.title;
          replies.push({});
          break;
        }
        case 'updateDimensionProperties': {
          const range = r.range as { sheetId?: number; dimension: string; startIndex?: number; endIndex?: number };
          const s = byId(range.sheetId);
          const size = (r.properties as { pixelSize?: number }).pixelSize;
          if (range.dimension === 'COLUMNS' && size) for (let c = range.startIndex ?? 0; c < (range.endIndex ?? s.columnCount); c++) s.columnWidths[c] = size;
          replies.push({});
          break;
        }
        case 'appendDimension': {
          const s = byId(r.sheetId);
          const length = Number(r.length);
          if (!(length > 0)) throw new ApiError(400, `Invalid requests[${replies.length}].appendDimension: length must be positive`);
          if (r.dimension === 'ROWS') s.rowCount += length;
          else s.columnCount += length;
          replies.push({});
          break;
        }
        case 'addConditionalFormatRule': {
          const rule = r.rule as { ranges?: { sheetId?: number }[] };
          const s = byId(rule.ranges?.[0]?.sheetId);
          s.conditionalFormats.push(rule);
          replies.push({});
          break;
        }
        case 'deleteSheet': {
          const s = byId(r.sheetId);
          draft.splice(draft.indexOf(s), 1);
          replies.push({});
          break;
        }
        default:
          throw new ApiError(400, `Invalid JSON payload received. Unknown name "${name}" at 'requests[${replies.length}]': Cannot find field.`);
      }
    }
    sheets = draft;
    nextSheetId = draftNextId;
    return { spreadsheetId, replies };
  }

  function valuesUpdate(body: Record<string, unknown>) {
    const option = body.valueInputOption;
    if (option !== 'RAW' && option !== 'USER_ENTERED') throw new ApiError(400, "Invalid valueInputOption: INPUT_VALUE_OPTION_UNSPECIFIED");
    const data = body.data as { range: string; values?: Cell[][]; majorDimension?: string }[] | undefined;
    if (!Array.isArray(data)) throw new ApiError(400, "Invalid value at 'data'");
    // Validate everything first: Google writes all ranges or none.
    const plans = data.map((d) => {
      const { sheet, r } = resolveRange(d.range);
      const values = d.values ?? [];
      if (d.majorDimension && d.majorDimension !== 'ROWS') throw new ApiError(400, 'Only ROWS is supported by this fake');
      const width = Math.max(0, ...values.map((row) => row.length));
      if (values.length > r.endRow - r.startRow || width > r.endCol - r.startCol) {
        throw new ApiError(400, `Requested writing within range [${d.range}], but tried writing to row [${r.startRow + values.length}]`);
      }
      if (r.startRow + values.length > sheet.rowCount) {
        throw new ApiError(400, `Range (${formatA1(sheet.title, { ...r, endRow: r.startRow + values.length })}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`);
      }
      for (const row of values) {
        for (const v of row) {
          if (v !== null && typeof v === 'object') throw new ApiError(400, `Invalid values: struct_value is not allowed`);
        }
      }
      return { sheet, r, values, width };
    });
    const responses = plans.map(({ sheet, r, values, width }) => {
      values.forEach((row, i) => {
        const line = (sheet.grid[r.startRow + i] ??= []);
        row.forEach((v, j) => {
          line[r.startCol + j] = v === '' || v === null ? undefined : v;
        });
      });
      return {
        spreadsheetId,
        updatedRange: formatA1(sheet.title, { startRow: r.startRow, startCol: r.startCol, endRow: r.startRow + values.length, endCol: r.startCol + width }),
        updatedRows: values.length,
        updatedColumns: width,
        updatedCells: values.reduce((n, row) => n + row.length, 0),
      };
    });
    return {
      spreadsheetId,
      totalUpdatedRows: responses.reduce((n, x) => n + x.updatedRows, 0),
      totalUpdatedColumns: Math.max(0, ...responses.map((x) => x.updatedColumns)),
      totalUpdatedCells: responses.reduce((n, x) => n + x.updatedCells, 0),
      totalUpdatedSheets: new Set(plans.map((p) => p.sheet.title)).size,
      responses,
    };
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      handle(req, body)
        .catch((err: unknown): Handled => {
          const e = err as ApiError & { kind?: RecordedRequest['kind']; parsed?: unknown };
          if (e instanceof ApiError) return { kind: e.kind ?? 'other', status: e.code, json: errorBody(e.code, e.message), parsed: e.parsed ?? body };
          return { kind: 'other', status: 500, json: errorBody(500, String((err as Error).message)), parsed: body };
        })
        .then((out) => {
          const url = new URL(req.url ?? '/', base);
          if (!url.pathname.startsWith('/_fake/')) {
            requests.push({ kind: out.kind, method: req.method ?? 'GET', path: url.pathname + url.search, status: out.status, body: out.parsed, at: Date.now() });
          }
          res.writeHead(out.status, { 'content-type': 'application/json; charset=UTF-8', ...(out.headers ?? {}) });
          res.end(JSON.stringify(out.json));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeGoogle = {
    url: base,
    apiRoot: `${base}/`,
    tokenUrl: `${base}/token`,
    spreadsheetId,
    clientEmail,
    serviceAccountJson: JSON.stringify({
      type: 'service_account',
      project_id: 'pingan-test',
      private_key_id: 'test-key-1',
      private_key: privateKey,
      client_email: clientEmail,
      client_id: '1000000000000000000',
      token_uri: `${base}/token`,
    }),
    requests,
    tokensIssued: 0,
    inject(injection) {
      injections.push({ ...injection, left: injection.times ?? Number.POSITIVE_INFINITY });
    },
    clearInjections() {
      injections = [];
    },
    readTab(title) {
      const s = findSheet(title);
      if (!s) throw new Error(`no tab ${title}`);
      return trim(Array.from(s.grid, (row) => Array.from(row ?? [], (v) => v))).map((row) => row.map((v) => v ?? ''));
    },
    sheetTitles: () => sheets.map((s) => s.title),
    sheet(title) {
      const s = findSheet(title);
      if (!s) return undefined;
      const { grid: _grid, ...rest } = s;
      return structuredClone(rest);
    },
    scribble(title, row, col, value) {
      const s = findSheet(title);
      if (!s) throw new Error(`no tab ${title}`);
      (s.grid[row] ??= [])[col] = value;
    },
    receivedText() {
      return requests.map((r) => JSON.stringify(r.body)).join('\n');
    },
    reset,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

function errorBody(code: number, message: string) {
  return { error: { code, message, status: STATUS_TEXT[code] ?? 'UNKNOWN' } };
}

/** Drops trailing empty cells and rows, as the Sheets API does in values responses. */
function trim(rows: (Cell | undefined)[][]): (Cell | undefined)[][] {
  const out = rows.map((row) => {
    let end = row.length;
    while (end > 0 && (row[end - 1] === undefined || row[end - 1] === '')) end--;
    return row.slice(0, end);
  });
  while (out.length && out[out.length - 1]!.length === 0) out.pop();
  return out;
}
