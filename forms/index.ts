// Every form of the district, in the order they are listed to people.
import type { FormDefinition } from '../src/forms/types.ts';
import massFeedback from './mass-feedback.ts';
import hazardTip from './hazard-tip.ts';
import deputySuggestion from './deputy-suggestion.ts';

const forms: readonly FormDefinition[] = [
  // Public forms, by link and QR code.
  massFeedback,
  hazardTip,
  deputySuggestion,
];

export default forms;
