// The shape of one `npx pingan` command.
import type { Deps } from '../../deps.ts';

export interface Command {
  summary: string;
  usage: string;
  run(deps: Deps, args: string[]): Promise<number | void>;
}
