import type { PageContext } from './controls/page-context.js';
import { downloadText } from './download.js';
import { requireElement } from './views/dom.js';

/**
 * A new account (a lazy chunk, fetched at "Create an account"): the recovery kit (the UUID as text and as a QR code, a
 * file to download) before anything else; "I have saved it" lets Continue open the empty account.
 */
export function wireRecoveryKit(context: PageContext, onOpened: () => void): { render(): void } {
  const { store, actions } = context;
  const uuidText = requireElement('kit-uuid', HTMLElement);
  const qr = requireElement('kit-qr', HTMLElement);
  const saved = requireElement('kit-saved', HTMLInputElement);
  const next = requireElement('kit-continue', HTMLButtonElement);
  let drawn: string | null = null;

  requireElement('kit-cancel', HTMLButtonElement).addEventListener('click', () => {
    actions.cancelAccount();
    requireElement('create-account', HTMLButtonElement).focus();
  });
  saved.addEventListener('change', () => {
    next.disabled = !saved.checked;
  });
  requireElement('kit-download', HTMLButtonElement).addEventListener('click', () => {
    const kit = store.state.kit;
    if (kit !== null) downloadText('open2fa-recovery-kit.txt', recoveryKitText(kit.uuid, location.origin));
  });
  next.addEventListener('click', () => {
    if (!saved.checked) return;
    void actions.finishAccount().then((open) => {
      if (open) onOpened();
    });
  });

  return {
    /** Draws the kit when one appears and wipes it (text, QR, checkbox) when it goes. */
    render: () => {
      const uuid = store.state.kit?.uuid ?? null;
      if (uuid === drawn) return;
      drawn = uuid;
      saved.checked = false;
      next.disabled = true;
      uuidText.textContent = uuid ?? '';
      qr.replaceChildren();
      if (uuid === null) return;
      void import('./qr-code.js').then(({ textQrSvg }) => {
        if (drawn === uuid) qr.replaceChildren(textQrSvg(uuid, 'QR code of your recovery UUID'));
      });
    },
  };
}

/** The downloaded kit: the UUID and how to use it, as plain text. */
export function recoveryKitText(uuid: string, origin: string): string {
  return [
    'Open2FA recovery kit',
    '',
    `UUID: ${uuid}`,
    `Server: ${origin}`,
    '',
    'This UUID is the only key to your two-factor codes. Nobody can reset it, not even the server.',
    'Keep this file somewhere safe and private (a password manager, or printed and locked away).',
    '',
    `To open your codes on a new device: open ${origin}/ and paste the UUID into the Open2FA ID field,`,
    `or open ${origin}/#pair=${uuid}`,
    'With the CLI: save the UUID in open2fa.uuid (see `open2fa --help`).',
    '',
  ].join('\n');
}
