import { qrMatrix } from '../../core/qr-matrix.js';

/** Light modules around the code; scanners need a quiet zone to find it. */
const QUIET_ZONE = 2;

/**
 * The QR code of `text` as lines of `█ ▀ ▄` and spaces. By default the light modules are drawn (a
 * terminal's text is light on dark); `invert` draws the dark ones instead.
 */
export function renderQr(text: string, invert = false): string {
  const qr = qrMatrix(text);
  const { size } = qr;
  const drawn = (row: number, column: number): boolean => {
    const inside = row >= 0 && row < size && column >= 0 && column < size;
    const dark = inside && qr.isDark(row, column);
    return invert ? dark : !dark;
  };
  const lines: string[] = [];
  for (let row = -QUIET_ZONE; row < size + QUIET_ZONE; row += 2) {
    let line = '';
    for (let column = -QUIET_ZONE; column < size + QUIET_ZONE; column++) {
      const top = drawn(row, column);
      const bottom = row + 1 < size + QUIET_ZONE && drawn(row + 1, column);
      line += top ? (bottom ? '█' : '▀') : bottom ? '▄' : ' ';
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}
