import type { Entry } from '../core/entry/model.js';
import { formatOtpauthUri } from '../core/formats/otpauth-uri.js';
import { qrMatrix } from '../core/qr-matrix.js';

/** Light modules around the code: scanners need this quiet zone (ISO/IEC 18004 asks for 4). */
const QUIET_ZONE = 4;
const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * The entry's `otpauth://` URI (the text another authenticator scans) drawn as an SVG QR code, built
 * with DOM calls: no markup string, no inline style (the page's CSP forbids both). Dark modules on a
 * white square, whatever the page's colour scheme, since scanners expect that. Loaded lazily, the first
 * time a QR code is shown.
 */
export function entryQrSvg(entry: Entry, label: string): SVGSVGElement {
  return textQrSvg(formatOtpauthUri(entry), label);
}

/** Any text (a pairing link, a recovery UUID) drawn the same way. */
export function textQrSvg(text: string, label: string): SVGSVGElement {
  const qr = qrMatrix(text);
  const { size } = qr;
  const side = String(size + 2 * QUIET_ZONE);
  // One path of unit squares: a few KB of attribute text, far lighter than a rect per module.
  let path = '';
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      if (qr.isDark(row, column)) path += `M${String(column + QUIET_ZONE)} ${String(row + QUIET_ZONE)}h1v1h-1z`;
    }
  }
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [name, value] of [
    ['viewBox', `0 0 ${side} ${side}`],
    ['class', 'qr'],
    ['role', 'img'],
    ['aria-label', label],
    ['shape-rendering', 'crispEdges'],
  ] as const) {
    svg.setAttribute(name, value);
  }
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', side);
  background.setAttribute('height', side);
  background.setAttribute('fill', '#fff');
  const modules = document.createElementNS(SVG_NS, 'path');
  modules.setAttribute('d', path);
  modules.setAttribute('fill', '#000');
  svg.append(background, modules);
  return svg;
}
