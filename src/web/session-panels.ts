import { wireDeviceControls, type DeviceHooks } from './controls/device-controls.js';
import { wireExportControls } from './controls/export-controls.js';
import type { PageContext } from './controls/page-context.js';
import type { QrDialog } from './views/qr-dialog.js';

/**
 * The panels shown only in an open session (This device, Export and back up, Pair another device): a
 * lazy chunk, fetched at the first unlock, so the first load stays small.
 */
export function wireSessionPanels(context: PageContext, qrDialog: QrDialog, hooks: DeviceHooks): void {
  const device = wireDeviceControls(context, qrDialog, hooks);
  const exports = wireExportControls(context, qrDialog);
  context.store.subscribe((state, previous) => {
    device.render();
    if (state.session === null && previous.session !== null) exports.reset();
  });
  device.render();
}
