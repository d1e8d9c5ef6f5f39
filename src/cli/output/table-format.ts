import { fit } from './text-format.js';

const GAP = '    ';

/**
 * A plain-text table in the Python client's layout: a blank line, the headers, a line of dashes per
 * column, the rows, a blank line. Columns are as wide as their widest cell; the last one is not
 * padded, so lines carry no trailing spaces.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => fit(cell, widths[column] ?? cell.length))
      .join(GAP)
      .trimEnd();
  const dashes = widths.map((width) => '-'.repeat(width));
  return ['', line(headers), line(dashes), ...rows.map(line), '', ''].join('\n');
}
