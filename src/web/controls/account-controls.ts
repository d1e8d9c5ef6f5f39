import type { PageContext } from './page-context.js';
import { requireElement } from '../views/dom.js';

/**
 * "Create an account": the action makes the UUID at once; the recovery kit's code (QR, download,
 * "I have saved it") is a lazy chunk, `account-kit.ts`, which then follows the store itself.
 */
export function wireAccountControls(context: PageContext, onOpened: () => void): void {
  let kit: Promise<void> | undefined;
  requireElement('create-account', HTMLButtonElement).addEventListener('click', () => {
    kit ??= import('../account-kit.js').then(({ wireRecoveryKit }) => {
      const view = wireRecoveryKit(context, onOpened);
      context.store.subscribe(() => {
        view.render();
      });
    });
    void kit.then(() => {
      context.actions.createAccount();
      requireElement('kit-heading', HTMLElement).focus();
    });
  });
}
