// Plugs suggestion replies into receipts (and so into the sheet's 代表委员建议 tab, which reads the same provider).
// Listed in src/plugins.ts.
import type { ReceiptStatusProvider } from '../submissions/receipts.ts';
import { publicSuggestionStatus } from './service.ts';

export const suggestionReceiptStatus: ReceiptStatusProvider = async function suggestionReceiptStatus(deps, submission) {
  return publicSuggestionStatus(deps, submission);
};
