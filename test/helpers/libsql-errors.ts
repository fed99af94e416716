// For tests of the local libSQL server through @libsql/client: the LibsqlError a call is refused with.
import { expect } from 'vitest';
import { LibsqlError } from '@libsql/client/web';

export async function rejection(p: Promise<unknown>): Promise<LibsqlError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LibsqlError);
    return e as LibsqlError;
  }
  throw new Error('expected a rejection');
}
