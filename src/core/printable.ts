/**
 * Makes untrusted text (a server's error detail, a v1 name sent in clear, an item id) safe to show:
 * a control character could move a terminal's cursor or rewrite its screen (C0, DEL, C1: ESC and CSI
 * start every escape sequence), and a bidirectional control (U+202A–202E, U+2066–2069, the marks
 * U+200E, U+200F and U+061C) or a line separator (U+2028, U+2029) could reorder what follows it, in a
 * terminal or a page, so a name would show as another name or hide a warning. Each becomes `?`.
 * @see Unicode Standard Annex #9 §2 (explicit directional formatting characters)
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g, '?');
}
