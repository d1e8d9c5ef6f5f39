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

/** How often a camera frame is read: often enough to feel instant, rarely enough for a slow phone. */
const FRAME_INTERVAL_MS = 150;

/**
 * Reads QR codes from the camera (`getUserMedia`, the back camera on a phone) into `video` until one
 * is found and `accept` takes its text, or `signal` aborts. The stream is always stopped. Rejects when
 * the camera cannot be opened.
 */
export async function scanCamera(
  video: HTMLVideoElement,
  accept: (text: string) => boolean,
  signal: AbortSignal,
): Promise<string | null> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
  try {
    video.srcObject = stream;
    await video.play();
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (context === null) throw new Error('this browser cannot read images');
    const decode = resolveDecode();
    while (!signal.aborted) {
      const { videoWidth: width, videoHeight: height } = video;
      if (width > 0 && height > 0) {
        canvas.width = width;
        canvas.height = height;
        context.drawImage(video, 0, 0, width, height);
        const text = decode(context.getImageData(0, 0, width, height).data, width, height)?.data ?? null;
        if (text !== null && accept(text)) return text;
      }
      await new Promise((resolve) => setTimeout(resolve, FRAME_INTERVAL_MS));
    }
    return null;
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  }
}
