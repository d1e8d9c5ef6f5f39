import * as panel from '../export-panel.js';
import { SESSION_MESSAGES } from '../session-messages.js';
import { requireElement } from '../views/dom.js';
import type { QrDialog } from '../views/qr-dialog.js';
import type { PageContext } from './page-context.js';

type Kind = 'backup' | 'otpauth' | 'google';

/**
 * Export and back up: each download waits for a confirmation that says what the file reveals; the
 * work is done by `export-panel.ts`; both load with the lazy session panels.
 */
export function wireExportControls(context: PageContext, qrDialog: QrDialog): { reset(): void } {
  const { store, actions } = context;
  const backupForm = requireElement('backup-form', HTMLFormElement);
  const password = requireElement('backup-password', HTMLInputElement);
  const confirmBox = requireElement('export-confirm', HTMLElement);
  const confirmText = requireElement('export-confirm-text', HTMLElement);
  const restoreForm = requireElement('restore-form', HTMLFormElement);
  const restoreFile = requireElement('restore-file', HTMLInputElement);
  const restorePassword = requireElement('restore-password', HTMLInputElement);
  const yes = requireElement('export-yes', HTMLButtonElement);
  let pending: Kind | null = null;
  let transfer: readonly string[] = [];

  function ask(kind: Kind, text: string): void {
    pending = kind;
    confirmText.textContent = text;
    yes.textContent = kind === 'google' ? 'Show' : 'Download';
    confirmBox.hidden = false;
    // A "password too short" from an earlier try no longer applies once the confirmation is asked.
    if (store.state.notice?.text === SESSION_MESSAGES.backupPasswordShort) store.update({ notice: null });
    requireElement('export-no', HTMLButtonElement).focus();
  }

  function askDownload(kind: 'backup' | 'otpauth'): void {
    const count = String(store.state.entries.length);
    ask(
      kind,
      kind === 'backup'
        ? `Download an encrypted backup of ${count} entries? Anyone with the file and its password can make all your codes.`
        : `Download ${count} entries as otpauth:// links, NOT encrypted? Anyone who sees the file can make all your codes: keep it safe and delete it after use.`,
    );
  }

  /** Says how many codes a transfer takes and what it leaves out, before anything is drawn. */
  async function askTransfer(): Promise<void> {
    const { uris, leftOut } = await panel.transferPlan(store.state.entries);
    if (uris.length === 0) {
      store.update({ notice: { tone: 'error', text: SESSION_MESSAGES.nothingToTransfer } });
      return;
    }
    transfer = uris;
    const entries = store.state.entries.length - leftOut.length;
    const codes = uris.length === 1 ? 'one QR code' : `${String(uris.length)} QR codes, one after another`;
    const left =
      leftOut.length === 0 ? '' : ` Left out, as Google Authenticator cannot hold them: ${leftOut.join('; ')}.`;
    ask(
      'google',
      `Show ${String(entries)} entries as Google Authenticator transfer codes (${codes}), NOT encrypted? Anyone who sees or photographs them can make your codes.${left}`,
    );
  }

  backupForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (password.value.length < 8) {
      store.update({ notice: { tone: 'error', text: SESSION_MESSAGES.backupPasswordShort } });
      password.focus();
      return;
    }
    askDownload('backup');
  });
  requireElement('export-otpauth', HTMLButtonElement).addEventListener('click', () => {
    askDownload('otpauth');
  });
  requireElement('export-google', HTMLButtonElement).addEventListener('click', () => {
    void askTransfer();
  });
  requireElement('export-no', HTMLButtonElement).addEventListener('click', () => {
    pending = null;
    confirmBox.hidden = true;
  });
  yes.addEventListener('click', () => {
    const kind = pending;
    pending = null;
    confirmBox.hidden = true;
    if (kind !== null) void run(kind);
  });

  async function run(kind: Kind): Promise<void> {
    const { entries } = store.state;
    if (kind === 'google') {
      const uris = transfer;
      transfer = [];
      await panel.showTransferCodes(uris, qrDialog).catch(() => {
        store.update({ notice: { tone: 'error', text: SESSION_MESSAGES.qrDrawFailed } });
      });
      return;
    }
    try {
      if (kind === 'backup') await panel.downloadBackup(entries, password.value);
      else panel.downloadOtpauthList(entries);
      password.value = '';
      store.update({ notice: { tone: 'info', text: SESSION_MESSAGES.exported } });
    } catch {
      store.update({ notice: { tone: 'error', text: SESSION_MESSAGES.unreachable } });
    }
  }

  restoreForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = restoreFile.files?.[0];
    if (file === undefined || restorePassword.value === '') {
      store.update({ notice: { tone: 'error', text: SESSION_MESSAGES.restoreNeedsFile } });
      return;
    }
    void (async () => {
      const outcome = await panel.restoreBackup(file, restorePassword.value, store.state.entries, actions);
      restorePassword.value = '';
      if (!outcome.ok) {
        store.update({ notice: { tone: 'error', text: outcome.message } });
        return;
      }
      restoreForm.reset();
      const notice = `Restored ${String(outcome.added)} entries; ${String(outcome.already)} were already stored${outcome.invalid > 0 ? `, ${String(outcome.invalid)} were invalid` : ''}.`;
      if (store.state.notice?.tone !== 'error') store.update({ notice: { tone: 'info', text: notice } });
    })();
  });

  return {
    reset: () => {
      backupForm.reset();
      restoreForm.reset();
      confirmBox.hidden = true;
      pending = null;
      transfer = [];
    },
  };
}
