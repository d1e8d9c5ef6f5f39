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

/**
 * Makes text safe to print on a terminal: names come from files and from the server, and a control
 * character in one could move the cursor or rewrite the screen (C0, DEL, C1: ESC and CSI start every
 * escape sequence), while a bidirectional control (U+202A–202E, U+2066–2069, the marks U+200E, U+200F
 * and U+061C) or a line separator (U+2028, U+2029) could reorder what follows it on the line, so a
 * name would show as another name or hide a warning. Each becomes `?`.
 * @see Unicode Standard Annex #9 §2 (explicit directional formatting characters)
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, '?');
}

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
