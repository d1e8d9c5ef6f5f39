import { wireDeviceControls, type DeviceHooks } from './controls/device-controls.js';
import { wireExportControls } from './controls/export-controls.js';
import type { PageContext } from './controls/page-context.js';
import { wireTrashPanel } from './trash/trash-panel.js';
import type { TrashDb } from './trash/trash-store.js';
import type { QrDialog } from './views/qr-dialog.js';

/**
 * The panels shown only in an open session (This device, Export and back up, Pair another device,
 * Recently deleted): a lazy chunk, fetched at the first unlock, so the first load stays small.
 */
export function wireSessionPanels(
  context: PageContext,
  qrDialog: QrDialog,
  hooks: DeviceHooks & { readonly trashDb: TrashDb },
): void {
  const device = wireDeviceControls(context, qrDialog, hooks);
  const exports = wireExportControls(context, qrDialog);
  const trash = wireTrashPanel(context, () => ({ db: hooks.trashDb, persist: hooks.remembering() }));
  context.store.subscribe((state, previous) => {
    device.render();
    if (state.session === null && previous.session !== null) exports.reset();
    if (state.session !== previous.session || state.entries !== previous.entries) trash.render();
  });
  device.render();
  trash.render();
}
