// What sqld learns from parsing a statement before it runs it: how many statements a string holds and which
// parameters they take. A tokenizer is enough: libsql's prepare() silently ignores everything after the first statement.

export interface SqlStatements {
  /** Non-empty statements, each without its terminating semicolon. */
  statements: string[];
}

export interface SqlParams {
  /** sqlite3_bind_parameter_count: the largest parameter index. */
  count: number;
  /** Index → name (`:a`, `@a`, `$a`, `?3`); absent for a plain `?`. */
  names: Map<number, string>;
}

type Token = { kind: 'semi' | 'ws' | 'word' | 'param' | 'other'; text: string; start: number; end: number };

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const NUMBER = /(?:0[xX][0-9a-fA-F]+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)/y;
const PARAM = /(?:\?\d*|[:@$][A-Za-z0-9_$\u0080-\uffff]+(?:::[A-Za-z0-9_$\u0080-\uffff]+)*(?:\([^)]*\))?)/y;

function quoted(sql: string, i: number, close: string): number {
  for (let j = i + 1; j < sql.length; j++) {
    if (sql[j] !== close) continue;
    if (close !== ']' && sql[j + 1] === close) {
      j++;
      continue;
    }
    return j + 1;
  }
  return sql.length;
}

function* tokens(sql: string): Generator<Token> {
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const start = i;
    let kind: Token['kind'] = 'other';
    if (/\s/.test(c)) {
      while (i < sql.length && /\s/.test(sql[i] as string)) i++;
      kind = 'ws';
    } else if (c === '-' && sql[i + 1] === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl === -1 ? sql.length : nl + 1;
      kind = 'ws';
    } else if (c === '/' && sql[i + 1] === '*') {
      const endComment = sql.indexOf('*/', i + 2);
      i = endComment === -1 ? sql.length : endComment + 2;
      kind = 'ws';
    } else if (c === ';') {
      i++;
      kind = 'semi';
    } else if (c === "'" || c === '"' || c === '`') {
      i = quoted(sql, i, c);
      kind = c === "'" ? 'other' : 'word';
    } else if (c === '[') {
      i = quoted(sql, i, ']');
      kind = 'word';
    } else if (c === '?' || (/[:@$]/.test(c) && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[i + 1] ?? ''))) {
      PARAM.lastIndex = i;
      i = PARAM.test(sql) ? PARAM.lastIndex : i + 1;
      kind = 'param';
    } else if (/[xX]/.test(c) && sql[i + 1] === "'") {
      i = quoted(sql, i + 1, "'");
    } else {
      WORD.lastIndex = i;
      NUMBER.lastIndex = i;
      if (/\d|\./.test(c) && NUMBER.test(sql)) {
        i = NUMBER.lastIndex;
      } else if (WORD.test(sql)) {
        i = WORD.lastIndex;
        kind = 'word';
      } else {
        i++;
      }
    }
    yield { kind, text: sql.slice(start, i), start, end: i };
  }
}

// sqlite3_complete's state machine: a semicolon inside CREATE TRIGGER … BEGIN … END does not end the statement.
type Class = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
const SEMI = 0, WS = 1, OTHER = 2, EXPLAIN = 3, CREATE = 4, TEMP = 5, TRIGGER = 6, END = 7;
const TRANSITIONS: ReadonlyArray<readonly number[]> = [
  /* 0 INVALID */ [1, 0, 2, 3, 4, 2, 2, 2],
  /* 1 START   */ [1, 1, 2, 3, 4, 2, 2, 2],
  /* 2 NORMAL  */ [1, 2, 2, 2, 2, 2, 2, 2],
  /* 3 EXPLAIN */ [1, 3, 3, 2, 4, 2, 2, 2],
  /* 4 CREATE  */ [1, 4, 2, 2, 2, 4, 5, 2],
  /* 5 TRIGGER */ [6, 5, 5, 5, 5, 5, 5, 5],
  /* 6 SEMI    */ [6, 6, 5, 5, 5, 5, 5, 7],
  /* 7 END     */ [1, 7, 5, 5, 5, 5, 5, 5],
];

function classify(t: Token): Class {
  if (t.kind === 'semi') return SEMI;
  if (t.kind === 'ws') return WS;
  if (t.kind !== 'word') return OTHER;
  switch (t.text.toUpperCase()) {
    case 'EXPLAIN':
      return EXPLAIN;
    case 'CREATE':
      return CREATE;
    case 'TEMP':
    case 'TEMPORARY':
      return TEMP;
    case 'TRIGGER':
      return TRIGGER;
    case 'END':
      return END;
    default:
      return OTHER;
  }
}

/** Splits SQL text into its non-empty statements, as sqld's parser would count them. */
export function splitStatements(sql: string): string[] {
  const out: string[] = [];
  let state = 0;
  let from = 0;
  let content = false;
  for (const t of tokens(sql)) {
    const cls = classify(t);
    const next = TRANSITIONS[state]?.[cls] ?? 2;
    if (cls === SEMI && next === 1) {
      if (content) out.push(sql.slice(from, t.start));
      from = t.end;
      content = false;
    } else if (cls !== WS && cls !== SEMI) {
      content = true;
    }
    state = next;
  }
  if (content) out.push(sql.slice(from));
  return out;
}

/** The parameters SQLite assigns for one statement: `?` takes the next index, `?N` index N, a name keeps its first index. */
export function parameters(sql: string): SqlParams {
  const names = new Map<number, string>();
  const byName = new Map<string, number>();
  let count = 0;
  for (const t of tokens(sql)) {
    if (t.kind !== 'param') continue;
    if (t.text === '?') {
      count++;
    } else if (t.text.startsWith('?')) {
      const i = Number(t.text.slice(1));
      names.set(i, t.text);
      count = Math.max(count, i);
    } else if (!byName.has(t.text)) {
      count++;
      byName.set(t.text, count);
      names.set(count, t.text);
    }
  }
  return { count, names };
}

const LEADING = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?(?:\*\/|$))*/;

/** The statement's first keyword, upper-cased (`BEGIN`, `SELECT`, …). */
export function firstKeyword(sql: string): string {
  return /^[A-Za-z]+/.exec(sql.replace(LEADING, ''))?.[0]?.toUpperCase() ?? '';
}

/** `BEGIN IMMEDIATE` and `BEGIN EXCLUSIVE` take the write lock at once; a plain `BEGIN` is deferred. */
export function beginsWrite(sql: string): boolean {
  return /^\s*BEGIN\s+(?:IMMEDIATE|EXCLUSIVE)\b/i.test(sql.replace(LEADING, ''));
}

/** SQLite's parser and tokenizer errors, which sqld reports from its own parser as SQL_PARSE_ERROR. */
export function isSyntaxError(message: string): boolean {
  return /syntax error|incomplete input|unrecognized token/i.test(message);
}
