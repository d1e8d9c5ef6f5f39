import { displayName, fit } from './text-format.js';

/** One line of the `generate` table. */
export interface CodeRow {
  readonly name: string | null;
  /** The code, or `null` when the stored entry cannot produce one. */
  readonly code: string | null;
  /**
   * Seconds until the next code, with fractions (the Python client showed two decimals); `null`
   * for HOTP, whose code changes on use and which shows its counter instead.
   */
  readonly secondsLeft: number | null;
  readonly counter?: number;
}

export interface FrameSize {
  readonly columns: number | undefined;
  readonly rows: number | undefined;
}

const GAP = '    ';
const MIN_NAME_WIDTH = 10;
/** The gaps and the next-code column: 4 + "29.50" + 4 spaces, plus one spare column (plus the code's width). */
const FIXED_WIDTH = 4 + 5 + 4 + 1;
const INVALID_CODE = 'invalid';

/**
 * The lines of one `generate` frame. When a terminal size is known, the frame fits it: long names
 * are cut, and rows past the height are summarised, because a frame taller or wider than the
 * terminal scrolls or wraps, and redrawing in place (cursor up N lines) would then break.
 */
export function renderFrame(rows: readonly CodeRow[], size: FrameSize): string[] {
  const names = rows.map((row) => displayName(row.name));
  const longest = Math.max(MIN_NAME_WIDTH, ...names.map((name) => name.length));
  // A pseudo-terminal may report 0 columns or rows: that means "unknown", not "no room".
  const columns = size.columns !== undefined && size.columns > 0 ? size.columns : undefined;
  const height = size.rows !== undefined && size.rows > 0 ? size.rows : undefined;
  const codeWidth = Math.max(6, ...rows.map((row) => (row.code ?? INVALID_CODE).length));
  const nameWidth = columns === undefined ? longest : Math.max(4, Math.min(longest, columns - FIXED_WIDTH - codeWidth));
  const line = (name: string, code: string, next: string): string =>
    [fit(name, nameWidth), code.padEnd(codeWidth), next].join(GAP).trimEnd();
  const body = rows.map((row, index) => line(names[index] ?? '', row.code ?? INVALID_CODE, nextText(row)));
  const header = [line('Name', 'Code', 'Next'), line('-'.repeat(nameWidth), '-'.repeat(codeWidth), '-----')];
  const maxLines = height === undefined ? Infinity : Math.max(height - 1, 4);
  if (header.length + body.length <= maxLines) return [...header, ...body];
  const shown = maxLines - header.length - 1;
  return [...header, ...body.slice(0, shown), `... ${String(body.length - shown)} codes not shown ...`];
}

function nextText(row: CodeRow): string {
  if (row.secondsLeft === null) return `#${String(row.counter ?? 0)}`.padStart(5);
  return row.secondsLeft.toFixed(2).padStart(5);
}

/** Seconds until the code of a `period`-second step changes, with fractions. */
export function secondsLeft(now: number, period = 30): number {
  const periodMs = period * 1000;
  return (periodMs - (now % periodMs)) / 1000;
}
