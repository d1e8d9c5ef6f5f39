import { bitwardenTotp } from './bitwarden-format.js';
import { csvRecords, parseCsv } from './csv-table.js';
import type { ImportFormatSpec, ImportSource } from './format-spec.js';
import { itemLabel, type ImportItem } from './import-item.js';
import { damagedOutcome, entriesOutcome } from './format-items.js';

const REQUIRED = ['name', 'login_username', 'login_totp'];

function headerOf(source: ImportSource): string[] {
  const firstLine = /^[^\r\n]*/.exec(source.text ?? '')?.[0] ?? '';
  return firstLine.split(',').map((name) => name.trim());
}

/**
 * Bitwarden's CSV export: a header row `folder,favorite,type,name,notes,fields,reprompt,login_uri,
 * login_username,login_password,login_totp`, one row per item. Rows with a `login_totp` are read as
 * in the JSON export (URI, bare secret or `steam://`); the others are no 2FA entries. The folder,
 * the favourite flag (`1`) and the notes are kept.
 */
export const bitwardenCsvFormat: ImportFormatSpec = {
  name: 'bitwarden-csv',
  label: 'Bitwarden (CSV)',
  encryption: 'none',
  detect: (source) => {
    const header = headerOf(source);
    return REQUIRED.every((name) => header.includes(name));
  },
  parse(source) {
    const rows = parseCsv(source.text ?? '');
    if (rows === null) return Promise.resolve(damagedOutcome('bitwarden-csv', 'a quoted field is not closed'));
    const items: ImportItem[] = [];
    csvRecords(rows).forEach((record, index) => {
      const totp = record.login_totp ?? '';
      if (totp.trim() === '') return;
      const built = bitwardenTotp({
        totp,
        name: record.name,
        username: record.login_username,
        notes: record.notes === '' ? undefined : record.notes,
        favorite: record.favorite === '1',
        folder: record.folder,
      });
      // Row 1 is the header: the first item is on row 2, as a spreadsheet numbers it.
      const label = itemLabel(`row ${String(index + 2)}`, built.label);
      items.push(
        built.result.ok
          ? { ok: true, label, entry: built.result.entry }
          : { ok: false, label, problem: built.result.problem },
      );
    });
    return Promise.resolve(entriesOutcome('bitwarden-csv', items));
  },
};
