// Plugs suggestion replies into receipts (and so into the sheet's 代表委员建议 tab, which reads the same provider).
// Imported by the routes module and the CLI, so every runtime that serves receipts or flushes the sheet has it.
import { RECEIPT_STATUS_PROVIDERS, type ReceiptStatusProvider } from '../submissions/receipts.ts';
import { publicSuggestionStatus, SUGGESTION_FORM } from './service.ts';

export const suggestionReceiptStatus: ReceiptStatusProvider = async function suggestionReceiptStatus(deps, submission) {
  return publicSuggestionStatus(deps, submission);
};

RECEIPT_STATUS_PROVIDERS[SUGGESTION_FORM] = suggestionReceiptStatus;
