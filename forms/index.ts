// Every form of the district, in the order they are listed to people.
import type { FormDefinition } from '../src/forms/types.ts';

const forms: readonly FormDefinition[] = [];

export default forms;
