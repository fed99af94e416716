// Hazard category labels, from the option list the forms share (forms/options.ts).
import { HAZARD_CATEGORY_OPTIONS } from '../../forms/options.ts';

export function categoryLabel(value: string): string {
  return HAZARD_CATEGORY_OPTIONS.find((o) => o.value === value)?.label ?? value;
}
