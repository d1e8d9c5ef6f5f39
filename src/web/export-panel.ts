import { sameCodes } from '../core/entry/compare.js';
import { type Entry as OtpEntry } from '../core/entry/model.js';
import { decryptBackup, encryptBackup, isEncryptedBackup } from '../core/formats/encrypted-backup.js';
import { formatOtpauthUri } from '../core/formats/otpauth-uri.js';
import type { Actions } from './actions/index.js';
import type { ShownEntry } from './app-state.js';
import { downloadText } from './download.js';

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
