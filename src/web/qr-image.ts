import * as jsqrModule from 'jsqr';

/** Larger photos are scaled down first: QR codes stay readable and jsQR stays fast. */
const MAX_SIDE = 1600;

type Decode = (data: Uint8ClampedArray, width: number, height: number, options?: object) => { data: string } | null;

/** jsQR ships CommonJS with a `default` export; bundlers hand it over either wrapped or not. */
function resolveDecode(): Decode {
  const candidate: unknown = (jsqrModule as unknown as { default: unknown }).default;
  if (typeof candidate === 'function') return candidate as Decode;
  return (candidate as { default: Decode }).default;
}

/**
 * Reads the text of the QR code in an image file, entirely in the page (loaded lazily: only when a
 * person picks an image). Returns `null` when no QR code is found.
 */
export async function decodeQrImage(file: Blob): Promise<string | null> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (context === null) throw new Error('this browser cannot read images');
  context.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const pixels = context.getImageData(0, 0, width, height);
  return resolveDecode()(pixels.data, width, height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}
