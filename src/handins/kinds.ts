// Which campaign deadlines are hand-ins, by the plan's rule: what is frozen, who hands it in, who else reads it.
import type { UnitKind } from '../db/schema.ts';

/** What a deadline of a rule asks for: which register is frozen, which units hand it in, who else reads it. */
export interface HandInKind {
  formId: string;
  unitKinds: readonly UnitKind[];
  /** Units besides the office that read every hand-in of this kind (R7: the police branch). */
  readers: readonly string[];
}

/** R7: towns report the ledger to the office and the police branch; R3: departments hand in their visit summaries. */
export const HAND_IN_KINDS: Readonly<Record<string, HandInKind>> = {
  R7: { formId: 'hazard-ledger', unitKinds: ['town', 'subdistrict'], readers: ['police'] },
  R3: { formId: 'household-visit', unitKinds: ['department'], readers: [] },
};
