// The narrow surface the sheet mirror needs from Google Sheets, so flushing and tests never touch the client library.

export interface SheetProps {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
}

export interface ValueRange {
  range: string;
  values: (string | number | boolean)[][];
}

export interface SheetsGateway {
  /** spreadsheets.get without grid data: the tabs and their grid sizes. */
  get(): Promise<{ sheets: SheetProps[] }>;
  /** spreadsheets.batchUpdate (structure and formatting requests). */
  batchUpdate(requests: unknown[]): Promise<void>;
  /** spreadsheets.values.batchUpdate, always valueInputOption RAW. */
  valuesBatchUpdate(data: ValueRange[]): Promise<void>;
  /** spreadsheets.values.batchClear. */
  valuesBatchClear(ranges: string[]): Promise<void>;
}

/** An answer from Google that was not a success; status 0 means the request never got an answer. */
export class SheetsApiError extends Error {
  override name = 'SheetsApiError';
  constructor(
    readonly status: number,
    message: string,
    /** Seconds from a Retry-After header, when Google sent one. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}
