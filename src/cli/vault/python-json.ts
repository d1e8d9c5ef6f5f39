/**
 * Serialises JSON exactly as Python's `json.dumps(value)` does with its defaults (`", "` and `": "`
 * separators, non-ASCII escaped as `\uXXXX`, no trailing newline), which is how the open2fa 1.x client
 * writes `secrets.json`. Rewriting an unchanged file thus gives the same bytes, and escaping non-ASCII
 * keeps the file readable by a Python client that opens it with a non-UTF-8 locale encoding.
 *
 * @example toPythonJson({ secrets: [{ secret: 'I65VU7K5ZQL7WB4E', name: null }] })
 * // '{"secrets": [{"secret": "I65VU7K5ZQL7WB4E", "name": null}]}'
 */
export function toPythonJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) return `[${value.map((item) => toPythonJson(item)).join(', ')}]`;
  if (typeof value === 'object') {
    const members = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${pythonString(key)}: ${toPythonJson(member)}`);
    return `{${members.join(', ')}}`;
  }
  throw new TypeError(`cannot serialise a ${typeof value} as JSON`);
}

function pythonString(text: string): string {
  return JSON.stringify(text).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
