import { CliError } from '../cli-error.js';

type Decode = (
  data: Uint8ClampedArray,
  width: number,
  height: number,
  options?: { inversionAttempts?: 'attemptBoth' },
) => { data: string } | null;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

/** Whether the bytes are a PNG or JPEG file (by their magic numbers, not the file name). */
export function imageKind(bytes: Uint8Array): 'png' | 'jpeg' | null {
  const starts = (magic: readonly number[]): boolean => magic.every((byte, index) => bytes[index] === byte);
  if (starts(PNG_MAGIC)) return 'png';
  if (starts(JPEG_MAGIC)) return 'jpeg';
  return null;
}

/**
 * The text of the QR code in a PNG or JPEG image, or `null` when none is found. The decoders are
 * imported here, on demand: only `import` of an image loads them.
 */
export async function decodeQrImage(bytes: Uint8Array, kind: 'png' | 'jpeg', path: string): Promise<string | null> {
  let image: { width: number; height: number; data: Uint8Array };
  try {
    if (kind === 'png') {
      const { PNG } = await import('pngjs');
      image = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } else {
      const jpeg = await import('jpeg-js');
      image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new CliError('invalid_import', `${path} is not a readable ${kind.toUpperCase()} image: ${why}`);
  }
  const decode = await loadJsQr();
  const pixels = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return decode(pixels, image.width, image.height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
}

/** jsQR is CommonJS; depending on the loader its function is the default export or inside it. */
async function loadJsQr(): Promise<Decode> {
  const module: unknown = await import('jsqr');
  const candidate = (module as { default: unknown }).default;
  if (typeof candidate === 'function') return candidate as Decode;
  return (candidate as { default: Decode }).default;
}
