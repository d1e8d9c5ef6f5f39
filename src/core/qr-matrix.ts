import * as qrcodeModule from 'qrcode-generator';

/** A QR code's modules: `size` × `size`, dark or light. */
export interface QrMatrix {
  readonly size: number;
  isDark(row: number, column: number): boolean;
}

/** The little of qrcode-generator used here (its types are `export =`, which ESM cannot default-import). */
interface QrCode {
  addData(text: string): void;
  make(): void;
  getModuleCount(): number;
  isDark(row: number, column: number): boolean;
}
type QrFactory = (typeNumber: 0, errorCorrection: 'M') => QrCode;

/** The ESM build exports the factory as `default`; keep working if a bundler hands it over unwrapped. */
function resolveFactory(): QrFactory {
  const candidate: unknown = (qrcodeModule as unknown as { default: unknown }).default;
  return (typeof candidate === 'function' ? candidate : qrcodeModule) as QrFactory;
}

/**
 * The QR code of `text` (smallest version that fits, error correction M), for the terminal (CLI) and
 * the page (SVG) alike; each adds its own quiet zone.
 */
export function qrMatrix(text: string): QrMatrix {
  const qr = resolveFactory()(0, 'M');
  qr.addData(text);
  qr.make();
  return { size: qr.getModuleCount(), isDark: (row, column) => qr.isDark(row, column) };
}
