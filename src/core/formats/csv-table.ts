/**
 * The rows of a CSV text (RFC 4180): fields separated by commas, quoted with `"` when they hold a
 * comma, a quote (doubled) or a line break; lines end with CRLF or LF. Returns `null` for a quote
 * left open at the end.
 *
 * @see https://www.rfc-editor.org/rfc/rfc4180#section-2
 */
export function parseCsv(text: string): string[][] | null {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (quoted) {
      if (char !== '"') field += char;
      else if (text.charAt(index + 1) === '"') {
        field += '"';
        index++;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text.charAt(index + 1) === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (quoted) return null;
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

/** The rows as records keyed by the header row's names. */
export function csvRecords(rows: readonly (readonly string[])[]): Record<string, string>[] {
  const [header = [], ...body] = rows;
  return body.map((row) => Object.fromEntries(header.map((name, column) => [name.trim(), row[column] ?? ''])));
}
