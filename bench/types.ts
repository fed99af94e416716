// The shape of one benchmark module, so bench/index.ts can run a list of them.
export interface Bench {
  /** Key in the JSON output and the name `npm run bench -- <name>` selects. */
  name: string;
  /** Runs the benchmark; `log` writes a human line to stderr. Returns the figures for the JSON output. */
  run(log: (line: string) => void): Promise<Record<string, unknown>>;
}
