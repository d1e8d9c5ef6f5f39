import * as panel from '../export-panel.js';
import { SESSION_MESSAGES } from '../session-messages.js';
import { requireElement } from '../views/dom.js';
import type { PageContext } from './page-context.js';

/**
 * Export and back up: each download waits for a confirmation that says what the file reveals; the
 * work is done by `export-panel.ts`; both load with the lazy session panels.
 */
export function wireExportControls(context: PageContext): { reset(): void } {
  const { store, actions } = context;
  const backupForm = requireElement('backup-form', HTMLFormElement);
  const password = requireElement('backup-password', HTMLInputElement);
  const confirmBox = requireElement('export-confirm', HTMLElement);
  const confirmText = requireElement('export-confirm-text', HTMLElement);
  const restoreForm = requireElement('restore-form', HTMLFormElement);
  const restoreFile = requireElement('restore-file', HTMLInputElement);
  const restorePassword = requireElement('restore-password', HTMLInputElement);
  let pending: 'backup' | 'otpauth' | null = null;

  function ask(kind: 'backup' | 'otpauth'): void {
    pending = kind;
    const count = store.state.entries.length;
    confirmText.textContent =
      kind === 'backup'
        ? `Download an encrypted backup of ${String(count)} entries? Anyone with the file and its password can make all your codes.`
        : `Download ${String(count)} entries as otpauth:// links, NOT encrypted? Anyone who sees the file can make all your codes: keep it safe and delete it after use.`;
    confirmBox.hidden = false;
    // A "password too short" from an earlier try no longer applies once the confirmation is asked.
    if (store.state.notice?.text === SESSION_MESSAGES.backupPasswordShort) store.update({ notice: null });
    requireElement('export-no', HTMLButtonElement).focus();
  }

  backupForm.addEventListener('submit', (event) => {
    event.preventDefault();
    if (password.value.length < 8) {
      store.update({ notice: { tone: 'error', text: SESSION_MESSAGES.backupPasswordShort } });
      password.focus();
      return;
    }
    ask('backup');
  });
  requireElement('export-otpauth', HTMLButtonElement).addEventListener('click', () => {
    ask('otpauth');
  });
  requireElement('export-no', HTMLButtonElement).addEventListener('click', () => {
    pending = null;
    confirmBox.hidden = true;
  });
  requireElement('export-yes', HTMLButtonElement).addEventListener('click', () => {
    const kind = pending;
    pending = null;
    confirmBox.hidden = true;
    if (kind !== null) void run(kind);
  });

  async function run(kind: 'backup' | 'otpauth'): Promise<void> {
    const { entries } = store.state;
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
    },
  };
}
