import { printable } from '../../core/printable.js';
/** How an unnamed secret is shown in tables (the Python client printed `None`). */
export const UNNAMED = '(no name)';

/**
 * Hides all but the first and last character, as the Python client did: `I65VU7K5ZQL7WB4E` →
 * `I...E`. Text of one character or less is shown as it is.
 */
export function maskSecret(text: string): string {
  return text.length <= 1 ? text : `${text.charAt(0)}...${text.charAt(text.length - 1)}`;
}

/** Only the first character, for identifiers that must not be guessable from a screenshot. */
export function maskIdentifier(text: string): string {
  return text.length <= 1 ? text : `${text.charAt(0)}...`;
}

/** Makes text safe to print on a terminal (core/printable.ts: controls and bidi controls become `?`). */
export { printable };

/** A name for display: sanitised, with a placeholder for `null`. */
export function displayName(name: string | null): string {
  return name === null ? UNNAMED : printable(name);
}

/** Pads `text` to `width` characters, or cuts it with `…` when it is longer. */
export function fit(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/**
 * Python's sort key for names (`str(name).lower()`), so lists come out in the order 1.x users know;
 * unnamed entries go last instead of sorting as "none".
 */
export function compareNames(a: string | null, b: string | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  const left = a.toLowerCase();
  const right = b.toLowerCase();
  return left < right ? -1 : left > right ? 1 : 0;
}
