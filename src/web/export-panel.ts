import { sameCodes } from '../core/entry/compare.js';
import { type Entry as OtpEntry } from '../core/entry/model.js';
import { decryptBackup, encryptBackup, isEncryptedBackup } from '../core/formats/encrypted-backup.js';
import { formatOtpauthUri } from '../core/formats/otpauth-uri.js';
import type { Actions } from './actions/index.js';
import type { ShownEntry } from './app-state.js';
import { downloadText } from './download.js';
import type { QrDialog } from './views/qr-dialog.js';

/**
 * Export and back up (a lazy chunk: the backup's PBKDF2 and the formats load only when used). The
 * encrypted backup is the CLI's format (`src/core/formats/encrypted-backup.ts`), the same file both ways.
 */
function plain(entry: ShownEntry): OtpEntry {
  const copy: { -readonly [K in keyof ShownEntry]?: ShownEntry[K] } = { ...entry };
  delete copy.key;
  delete copy.storage;
  return copy as OtpEntry;
}

const stamp = (now: number): string => new Date(now).toISOString().slice(0, 10);

export async function downloadBackup(
  entries: readonly ShownEntry[],
  password: string,
  now = Date.now(),
): Promise<void> {
  const text = await encryptBackup(entries.map(plain), password);
  downloadText(`open2fa-backup-${stamp(now)}.json`, text, 'application/json');
}

/** One `otpauth://` URI per line, every parameter written out (as `open2fa export --format otpauth`). */
export function downloadOtpauthList(entries: readonly ShownEntry[], now = Date.now()): void {
  const text = entries.map((entry) => formatOtpauthUri(plain(entry))).join('\n');
  downloadText(`open2fa-otpauth-${stamp(now)}.txt`, `${text}\n`);
}

const TRANSFER_WARNING =
  'These codes hold your secrets, not encrypted: anyone who sees or photographs them can make your codes. In Google Authenticator, choose Transfer accounts → Import accounts and scan each one, then close this.';

/** What a transfer can hold: how many QR codes, and the entries Google Authenticator cannot take. */
export async function transferPlan(
  entries: readonly ShownEntry[],
): Promise<{ readonly uris: readonly string[]; readonly leftOut: readonly string[] }> {
  const { serializeMigrationUris } = await import('../core/formats/google-migration.js');
  const { uris, refused } = serializeMigrationUris(entries.map(plain));
  return {
    uris,
    leftOut: refused.map(({ entry, reason }) => `${entry.name?.trim() ? entry.name : 'Unnamed'} (${reason})`),
  };
}

/**
 * Google Authenticator transfer QR codes (as `open2fa export --format google-migration`): up to ten
 * entries each, shown one after another in the QR dialog with "1 of 3" and a Next QR code button (made
 * here, in the lazy chunk, and removed when the dialog closes, with the last code).
 */
export function showTransferCodes(uris: readonly string[], dialog: QrDialog): Promise<void> {
  const form = document.querySelector('#qr-dialog form');
  // Built with DOM calls here (not the views' helpers, which the first load holds: a shared chunk).
  const next = document.createElement('button');
  next.id = 'qr-next';
  next.type = 'button';
  next.textContent = 'Next QR code';
  const closed = (): void => {
    next.remove();
  };
  const show = async (index: number): Promise<void> => {
    const heading = `Google Authenticator transfer code ${String(index + 1)} of ${String(uris.length)}`;
    await dialog.openText(heading, uris[index] ?? '', TRANSFER_WARNING, closed);
    next.hidden = index + 1 >= uris.length;
    next.onclick = next.hidden ? null : () => void show(index + 1);
    if (next.hidden) document.getElementById('qr-close')?.focus();
    else next.focus();
  };
  form?.prepend(next);
  return show(0);
}

export type RestoreOutcome =
  | { readonly ok: true; readonly added: number; readonly already: number; readonly invalid: number }
  | { readonly ok: false; readonly message: string };

/** Decrypts a backup file and adds the entries not already shown (as v2 items). */
export async function restoreBackup(
  file: File,
  password: string,
  shown: readonly ShownEntry[],
  actions: Actions,
): Promise<RestoreOutcome> {
  let document: unknown;
  try {
    document = JSON.parse(await file.text());
  } catch {
    return { ok: false, message: 'That file is not an open2fa encrypted backup (it is not JSON).' };
  }
  if (!isEncryptedBackup(document)) return { ok: false, message: 'That file is not an open2fa encrypted backup.' };
  const result = await decryptBackup(document, password);
  if (!result.ok) return { ok: false, message: `The backup could not be opened: ${result.message}.` };
  const fresh: OtpEntry[] = [];
  let already = 0;
  let invalid = 0;
  for (const item of result.items) {
    if (!item.ok) invalid++;
    else if ([...shown, ...fresh].some((entry) => sameCodes(entry, item.entry))) already++;
    else fresh.push(item.entry);
  }
  const added = fresh.length === 0 ? 0 : await actions.addEntries(fresh);
  return { ok: true, added, already, invalid };
}
