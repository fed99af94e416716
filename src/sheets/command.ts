// `npx pingan sheets-sync [--full]`: flush the outbox now, or rebuild every tab from the database.
import { parseArgs } from 'node:util';
import type { Deps } from '../deps.ts';
import { flushSheets } from './flush.ts';

export const sheetsSyncCommand = {
  summary: 'send pending sheet updates to the Google Sheet now; --full rebuilds all six tabs from the database',
  usage: 'pingan sheets-sync [--full]',
  async run(deps: Deps, args: string[]): Promise<number> {
    const { values } = parseArgs({ args, options: { full: { type: 'boolean' } } });
    if (!deps.sheets) {
      console.error('The Google Sheet is not configured: set GOOGLE_SERVICE_ACCOUNT (the JSON key) and SHEET_ID.');
      return 2;
    }
    const result = await flushSheets(deps, { full: values.full, force: true });
    switch (result.status) {
      case 'sent':
        console.log(`Sent ${result.tabs.length} tab(s) (${result.tabs.join(', ')}) in ${result.requests} request(s).`);
        return 0;
      case 'idle':
        console.log('Nothing to send: the sheet is up to date.');
        return 0;
      case 'busy':
        console.error('Another flush is running; try again in a few minutes.');
        return 1;
      case 'failed':
        console.error(`Sheet sync failed (${result.pending} job(s) kept, retried automatically): ${result.error}`);
        return 1;
      default:
        console.log(`Sheet sync: ${result.status} (${result.pending} pending).`);
        return 0;
    }
  },
};
