import { qrMatrix } from '../../src/core/qr-matrix.js';

/** The side of the fake camera's square picture, in pixels. */
const SIDE = 320;

/**
 * A Y4M video (YUV 4:2:0, the format Chromium's `--use-file-for-fake-video-capture` reads) showing
 * `text` as a QR code: dark modules black, everything else white, grey chroma. Made here from the
 * core's QR encoder.
 */
export function qrVideo(text: string, frames = 5): Buffer {
  const qr = qrMatrix(text);
  const modules = qr.size + 8;
  const cell = Math.floor(SIDE / modules);
  const offset = Math.floor((SIDE - cell * modules) / 2) + 4 * cell;
  const luma = Buffer.alloc(SIDE * SIDE, 235);
  for (let row = 0; row < qr.size; row++)
    for (let column = 0; column < qr.size; column++) {
      if (!qr.isDark(row, column)) continue;
      for (let y = 0; y < cell; y++)
        luma.fill(
          16,
          (offset + row * cell + y) * SIDE + offset + column * cell,
          (offset + row * cell + y) * SIDE + offset + (column + 1) * cell,
        );
    }
  const chroma = Buffer.alloc((SIDE / 2) * (SIDE / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${String(SIDE)} H${String(SIDE)} F10:1 Ip A1:1 C420jpeg\n`),
    ...Array.from({ length: frames }, () => frame),
  ]);
}

/** Chromium's switches for a fake camera that shows `videoFile`, with the permission prompt answered. */
export function fakeCameraArgs(videoFile: string): string[] {
  return [
    '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${videoFile}`,
  ];
}
