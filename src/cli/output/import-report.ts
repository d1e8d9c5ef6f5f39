import { describeKind } from '../../core/formats/entry-kind.js';
import type { ImportFormatSpec } from '../../core/formats/format-spec.js';
import { CliError } from '../cli-error.js';
import type { PlannedItem } from '../vault/import-plan.js';
import { printable } from './text-format.js';

/** How many invalid entries a refusal names before it says "and N more". */
const SHOWN_PROBLEMS = 3;

const ENCRYPTION_WORDS = { none: 'plain', optional: 'plain or encrypted', always: 'encrypted' } as const;

/** The text of `open2fa import --list-formats`: one line per format, with its `--format` name. */
export function formatList(specs: readonly ImportFormatSpec[]): string {
  const width = Math.max(...specs.map((spec) => spec.name.length));
  const rows = specs.map((spec) => `${spec.name.padEnd(width)}  ${spec.label} [${ENCRYPTION_WORDS[spec.encryption]}]`);
  return `${rows.join('\n')}\nQR codes (PNG/JPEG) of otpauth:// and transfer links are read too.\n`;
}

/** One line per entry: what happens to it, which entry, and the parameters or the reason. */
export function importReport(plan: readonly PlannedItem[]): string {
  const rows = plan.map((item) => {
    const status = { add: 'add', duplicate: 'skip', invalid: 'INVALID' }[item.status];
    const detail = item.status === 'add' ? describeKind(item.entry) : item.detail;
    return `  ${status.padEnd(7)}  ${printable(item.label)}: ${printable(detail)}`;
  });
  return `${rows.join('\n')}\n`;
}

/** Why an import with invalid entries wrote nothing, naming the first few; `valid` entries could be imported. */
export function importRefusal(invalid: readonly PlannedItem[], valid: number): CliError {
  const named = invalid
    .slice(0, SHOWN_PROBLEMS)
    .map((item) => `${printable(item.label)} (${item.status === 'invalid' ? printable(item.detail) : ''})`)
    .join('; ');
  const more = invalid.length > SHOWN_PROBLEMS ? ` and ${String(invalid.length - SHOWN_PROBLEMS)} more` : '';
  return new CliError(
    'invalid_import',
    `nothing imported: ${plural(invalid.length, 'invalid entry', 'invalid entries')}: ${named}${more}. ` +
      `Fix the file, or use --skip-invalid to import the other ${String(valid)}`,
  );
}

/** `1 entry`, `2 entries`. */
export function plural(count: number, one: string, many: string): string {
  return `${String(count)} ${count === 1 ? one : many}`;
}
