// Hrana-over-HTTP v2 (JSON) wire types, request-body validation and SQL value conversion.

export type SqlValue = null | bigint | number | string | Buffer;

export type JsonValue =
  | { type: 'null' }
  | { type: 'integer'; value: string }
  | { type: 'float'; value: number }
  | { type: 'text'; value: string }
  | { type: 'blob'; base64: string };

export interface HranaErrorBody {
  message: string;
  code: string;
}

export interface Stmt {
  sql: string | undefined;
  sqlId: number | undefined;
  args: SqlValue[];
  namedArgs: Array<{ name: string; value: SqlValue }>;
  wantRows: boolean;
}

export type BatchCond =
  | { type: 'ok'; step: number }
  | { type: 'error'; step: number }
  | { type: 'not'; cond: BatchCond }
  | { type: 'and'; conds: BatchCond[] }
  | { type: 'or'; conds: BatchCond[] }
  | { type: 'is_autocommit' };

export interface BatchStep {
  condition: BatchCond | undefined;
  stmt: Stmt;
}

export type StreamRequest =
  | { type: 'close' }
  | { type: 'execute'; stmt: Stmt }
  | { type: 'batch'; steps: BatchStep[] }
  | { type: 'sequence'; sql: string | undefined; sqlId: number | undefined }
  | { type: 'describe'; sql: string | undefined; sqlId: number | undefined }
  | { type: 'store_sql'; sqlId: number; sql: string }
  | { type: 'close_sql'; sqlId: number }
  | { type: 'get_autocommit' };

export interface PipelineRequest {
  baton: string | null;
  requests: StreamRequest[];
}

export interface Col {
  name: string | null;
  decltype: string | null;
}

export interface StmtResult {
  cols: Col[];
  rows: JsonValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
  rows_read: number;
  rows_written: number;
  query_duration_ms: number;
}

export interface BatchResult {
  step_results: Array<StmtResult | null>;
  step_errors: Array<HranaErrorBody | null>;
}

export interface DescribeResult {
  params: Array<{ name: string | null }>;
  cols: Col[];
  is_explain: boolean;
  is_readonly: boolean;
}

export type StreamResponse =
  | { type: 'close' }
  | { type: 'execute'; result: StmtResult }
  | { type: 'batch'; result: BatchResult }
  | { type: 'sequence' }
  | { type: 'describe'; result: DescribeResult }
  | { type: 'store_sql' }
  | { type: 'close_sql' }
  | { type: 'get_autocommit'; is_autocommit: boolean };

export type StreamResult = { type: 'ok'; response: StreamResponse } | { type: 'error'; error: HranaErrorBody };

export interface PipelineResponse {
  baton: string | null;
  base_url: null;
  results: StreamResult[];
}

/** A malformed request body: answered with HTTP 400 before anything runs. */
export class ProtoError extends Error {
  override name = 'ProtoError';
}

/** An error reported to the client as a Hrana `Error` in the request's result. */
export class HranaError extends Error {
  override name = 'HranaError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function obj(v: unknown, what: string): Obj {
  if (!isObj(v)) throw new ProtoError(`${what} must be an object`);
  return v;
}

function arr(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new ProtoError(`${what} must be an array`);
  return v;
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new ProtoError(`${what} must be a string`);
  return v;
}

function optStr(v: unknown, what: string): string | undefined {
  return v === undefined || v === null ? undefined : str(v, what);
}

function int32(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) {
    throw new ProtoError(`${what} must be a 32-bit integer`);
  }
  return v;
}

function optInt32(v: unknown, what: string): number | undefined {
  return v === undefined || v === null ? undefined : int32(v, what);
}

export function parseValue(v: unknown, what: string): SqlValue {
  const o = obj(v, what);
  switch (o.type) {
    case 'null':
      return null;
    case 'integer': {
      const s = typeof o.value === 'number' && Number.isSafeInteger(o.value) ? String(o.value) : str(o.value, `${what}.value`);
      if (!/^[+-]?\d+$/.test(s)) throw new ProtoError(`${what}.value is not an integer`);
      const n = BigInt(s);
      if (n < I64_MIN || n > I64_MAX) throw new ProtoError(`${what}.value is out of the 64-bit range`);
      return n;
    }
    case 'float':
      if (typeof o.value !== 'number') throw new ProtoError(`${what}.value must be a number`);
      return o.value;
    case 'text':
      return str(o.value, `${what}.value`);
    case 'blob':
      return Buffer.from(str(o.base64, `${what}.base64`), 'base64');
    default:
      throw new ProtoError(`${what}.type is not a known value type`);
  }
}

function parseSqlRef(o: Obj, what: string): { sql: string | undefined; sqlId: number | undefined } {
  const sql = optStr(o.sql, `${what}.sql`);
  const sqlId = optInt32(o.sql_id, `${what}.sql_id`);
  if ((sql === undefined) === (sqlId === undefined)) throw new ProtoError(`${what} needs exactly one of sql and sql_id`);
  return { sql, sqlId };
}

function parseStmt(v: unknown, what: string): Stmt {
  const o = obj(v, what);
  const args = o.args === undefined || o.args === null ? [] : arr(o.args, `${what}.args`);
  const named = o.named_args === undefined || o.named_args === null ? [] : arr(o.named_args, `${what}.named_args`);
  if (o.want_rows !== undefined && o.want_rows !== null && typeof o.want_rows !== 'boolean') {
    throw new ProtoError(`${what}.want_rows must be a boolean`);
  }
  return {
    ...parseSqlRef(o, what),
    args: args.map((a, i) => parseValue(a, `${what}.args[${i}]`)),
    namedArgs: named.map((a, i) => {
      const n = obj(a, `${what}.named_args[${i}]`);
      return { name: str(n.name, `${what}.named_args[${i}].name`), value: parseValue(n.value, `${what}.named_args[${i}].value`) };
    }),
    wantRows: o.want_rows !== false,
  };
}

function parseCond(v: unknown, what: string): BatchCond {
  const o = obj(v, what);
  switch (o.type) {
    case 'ok':
    case 'error':
      return { type: o.type, step: int32(o.step, `${what}.step`) };
    case 'not':
      return { type: 'not', cond: parseCond(o.cond, `${what}.cond`) };
    case 'and':
    case 'or':
      return { type: o.type, conds: arr(o.conds, `${what}.conds`).map((c, i) => parseCond(c, `${what}.conds[${i}]`)) };
    case 'is_autocommit':
      return { type: 'is_autocommit' };
    default:
      throw new ProtoError(`${what}.type is not a known condition type`);
  }
}

function parseRequest(v: unknown, what: string): StreamRequest {
  const o = obj(v, what);
  switch (o.type) {
    case 'close':
    case 'get_autocommit':
      return { type: o.type };
    case 'execute':
      return { type: 'execute', stmt: parseStmt(o.stmt, `${what}.stmt`) };
    case 'batch': {
      const batch = obj(o.batch, `${what}.batch`);
      const steps = arr(batch.steps, `${what}.batch.steps`).map((s, i) => {
        const at = `${what}.batch.steps[${i}]`;
        const step = obj(s, at);
        const hasCondition = step.condition !== undefined && step.condition !== null;
        return {
          condition: hasCondition ? parseCond(step.condition, `${at}.condition`) : undefined,
          stmt: parseStmt(step.stmt, `${at}.stmt`),
        };
      });
      return { type: 'batch', steps };
    }
    case 'sequence':
    case 'describe':
      return { type: o.type, ...parseSqlRef(o, what) };
    case 'store_sql':
      return { type: 'store_sql', sqlId: int32(o.sql_id, `${what}.sql_id`), sql: str(o.sql, `${what}.sql`) };
    case 'close_sql':
      return { type: 'close_sql', sqlId: int32(o.sql_id, `${what}.sql_id`) };
    default:
      throw new ProtoError(`${what}.type is not a known request type`);
  }
}

export function parsePipeline(body: unknown): PipelineRequest {
  const o = obj(body, 'body');
  const baton = o.baton === undefined || o.baton === null ? null : str(o.baton, 'baton');
  const requests = arr(o.requests, 'requests').map((r, i) => parseRequest(r, `requests[${i}]`));
  return { baton, requests };
}

export function encodeValue(v: unknown): JsonValue {
  if (v === null || v === undefined) return { type: 'null' };
  if (typeof v === 'bigint') return { type: 'integer', value: v.toString() };
  if (typeof v === 'number') return { type: 'float', value: v };
  if (typeof v === 'string') return { type: 'text', value: v };
  if (v instanceof Uint8Array) return { type: 'blob', base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64') };
  throw new HranaError(`Unexpected value of type ${typeof v} in a row`, 'INTERNAL');
}
