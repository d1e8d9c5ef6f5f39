import { MESSAGES } from '../messages.js';
import { requireElement } from '../views/dom.js';
import type { PageContext } from './page-context.js';

/** Opens the camera dialog and resolves with the first QR text `accept` takes (`null`: cancelled). */
export type ScanQr = (accept: (text: string) => boolean) => Promise<string | null>;

/**
 * The camera dialog: a native modal `<dialog>` with a live `<video>`; the decoder (jsQR, the same lazy
 * chunk as for images) reads frames in the page. Cancel, Escape or a lock stops the camera.
 */
export function wireCameraControls(context: PageContext): { scan: ScanQr; close(): void } {
  const dialog = requireElement('camera-dialog', HTMLDialogElement);
  const video = requireElement('camera-video', HTMLVideoElement);
  let running: AbortController | null = null;

  dialog.addEventListener('close', () => {
    running?.abort();
    running = null;
  });

  const scan: ScanQr = async (accept) => {
    running?.abort();
    const controller = new AbortController();
    running = controller;
    if (!dialog.open) dialog.showModal();
    try {
      const { scanCamera } = await import('../qr-image.js');
      return await scanCamera(video, accept, controller.signal);
    } catch {
      context.store.update({ notice: { tone: 'error', text: MESSAGES.cameraUnavailable } });
      return null;
    } finally {
      if (running === controller) running = null;
      if (dialog.open) dialog.close();
    }
  };

  return {
    scan,
    close: () => {
      if (dialog.open) dialog.close();
    },
  };
}
