// Every form of the district, in the order they are listed to people.
import type { FormDefinition } from '../src/forms/types.ts';
import massFeedback from './mass-feedback.ts';
import hazardTip from './hazard-tip.ts';
import deputySuggestion from './deputy-suggestion.ts';
import householdVisit from './household-visit.ts';
import hazardLedger from './hazard-ledger.ts';
import patrolTeam from './patrol-team.ts';
import publicity from './publicity.ts';
import disputeMediation from './dispute-mediation.ts';
import taskReport from './task-report.ts';

const forms: readonly FormDefinition[] = [
  // Public forms, by link and QR code.
  massFeedback,
  hazardTip,
  deputySuggestion,
  // Unit forms, for towns and departments signed in with an access code.
  householdVisit,
  hazardLedger,
  patrolTeam,
  publicity,
  disputeMediation,
  taskReport,
];

export default forms;
