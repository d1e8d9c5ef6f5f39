import type { CommandContext } from '../command-context.js';
import { formatTable } from './table-format.js';
import { compareNames, displayName, maskSecret, printable } from './text-format.js';

export interface ListOptions {
  /** Show secrets uncensored. */
  readonly secrets: boolean;
  readonly json: boolean;
}

/** A secret as listed: what `list` and `remote list` print. */
export interface ListedSecret {
  readonly name: string | null;
  readonly secret: string;
  /** `totp SHA256/8/60s`, `hotp #3`…: shown in a Type column when any entry is not plain TOTP. */
  readonly kind?: string;
  /** Issuer, account, type, algorithm, digits, period, counter, note: those that differ from the defaults. */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** Prints secrets sorted by name, as a table or JSON: `list` and every protocol's `remote list`. */
export function printSecrets(
  context: Pick<CommandContext, 'out'>,
  secrets: readonly ListedSecret[],
  options: ListOptions,
  emptyMessage: string,
): void {
  const sorted = [...secrets].sort((a, b) => compareNames(a.name, b.name));
  const shown = (secret: string): string => (options.secrets ? secret : maskSecret(secret));
  if (options.json) {
    const items = sorted.map((item) => ({ name: item.name, secret: shown(item.secret), ...item.fields }));
    context.out(`${JSON.stringify(items, null, 2)}\n`);
    return;
  }
  if (sorted.length === 0) {
    context.out(emptyMessage);
    return;
  }
  const rows = sorted.map((item) => [displayName(item.name), printable(shown(item.secret))]);
  if (sorted.every((item) => item.kind === undefined || item.kind === 'totp')) {
    context.out(formatTable(['Name', 'Secret'], rows));
    return;
  }
  const kinds = sorted.map((item) => item.kind ?? 'totp');
  context.out(
    formatTable(
      ['Name', 'Secret', 'Type'],
      rows.map((row, index) => [...row, kinds[index] ?? 'totp']),
    ),
  );
}
