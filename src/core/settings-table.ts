/**
 * The one mechanism behind the server's and the CLI's settings: a table of rows (the variable, its
 * default and help as `--help` shows them, and its parser), read in one pass that collects every
 * problem instead of stopping at the first. Each program keeps its own table and decides what a
 * problem does (the server refuses to start; the CLI fails only the commands that use the setting).
 * Pure: the environment comes in as a value, so it runs anywhere and tests pass their own.
 */

export type Environment = Readonly<Record<string, string | undefined>>;

/** One setting of `S`: `parse` takes `A` (what the program passes) and throws a `RangeError` with the whole message. */
export interface SettingRow<S, K extends keyof S, A extends readonly unknown[]> {
  readonly key: K;
  readonly env: string;
  /** The default as `--help` shows it. */
  readonly default: string;
  readonly help: string;
  readonly parse: (...args: A) => S[K];
}

/** Rows for every key of `S`, each typed by its own key; `Extra` adds what one program's rows also carry. */
export type SettingsTable<S, A extends readonly unknown[], Extra = unknown> = readonly {
  [K in keyof S]-?: SettingRow<S, K, A> & Extra;
}[keyof S][];

/** The parsed settings and, by key, the message of each one that did not parse. */
export interface SettingsReading<S> {
  readonly values: Partial<S>;
  readonly problems: ReadonlyMap<keyof S, string>;
}

/** Parses every row with the arguments `argsOf` gives it; nothing throws here. */
export function readSettingsTable<S, A extends readonly unknown[], Extra>(
  table: SettingsTable<S, A, Extra>,
  argsOf: (row: SettingsTable<S, A, Extra>[number]) => A,
): SettingsReading<S> {
  const values: Partial<Record<keyof S, unknown>> = {};
  const problems = new Map<keyof S, string>();
  for (const row of table) {
    try {
      values[row.key] = row.parse(...argsOf(row));
    } catch (error) {
      problems.set(row.key, error instanceof Error ? error.message : String(error));
    }
  }
  return { values: values as Partial<S>, problems };
}

/** The lines of a `--help` block: each variable, padded to the longest, with its help and default. */
export function describeSettingsTable(
  table: readonly Pick<SettingRow<never, never, []>, 'env' | 'help' | 'default'>[],
  shownDefault: (text: string) => string = (text) => text,
): string[] {
  const width = Math.max(...table.map((row) => row.env.length));
  return table.map((row) => `  ${row.env.padEnd(width)}  ${row.help} (default: ${shownDefault(row.default)})`);
}
