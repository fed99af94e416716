// `npx pingan import-org FILE [--dry-run]`: the organisation import from a shell, the same checks and transaction as the page.
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import type { Command } from '../runtime/node/cli-types.ts';
import { importOrganisation } from './import.ts';

export const importOrgCommand: Command = {
  summary: 'import the organisation (units, district cadres) from an XLSX or CSV file (UTF-8 or GB18030); --dry-run only previews',
  usage: 'pingan import-org FILE [--dry-run]',
  async run(deps, args) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { 'dry-run': { type: 'boolean' } } });
    const path = positionals[0];
    if (!path) {
      console.error('Missing FILE (an .xlsx or .csv made from /admin/organisation/template.xlsx).');
      return 2;
    }
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(path));
    } catch (err) {
      console.error(`Cannot read ${path}: ${(err as Error).message}`);
      return 2;
    }
    const out = await importOrganisation(deps, bytes, { dryRun: values['dry-run'], actor: 'cli' });
    if (!out.ok) {
      for (const e of out.errors) console.error(e.message);
      console.error(`${out.errors.length} error(s); nothing imported.`);
      return 1;
    }
    for (const [label, list] of [['created', out.plan.created], ['updated', out.plan.updated], ['deactivated', out.plan.deactivated]] as const) {
      for (const u of list) console.log(`${label}\t${u.code}\t${u.name}\t${u.changes.join('；')}`);
    }
    const s = out.summary;
    console.error(
      `${out.applied ? 'Imported' : 'Dry run (nothing written)'}: ${s.created} created, ${s.updated} updated, ${s.deactivated} deactivated, ${s.unchanged} unchanged; district cadres ${s.cadres.created} added, ${s.cadres.updated} updated.`,
    );
  },
};
