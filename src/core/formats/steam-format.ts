import { encodeBase32 } from '../encoding.js';
import { buildEntry } from './entry-builder.js';
import { decodeBase64 } from './format-crypto.js';
import type { ImportFormatSpec } from './format-spec.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { damagedOutcome, entriesOutcome } from './format-items.js';

function isGuardFile(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && 'shared_secret' in value && 'account_name' in value;
}

/** The accounts of a file: the new Steam app file keeps them under `accounts`, keyed by SteamID. */
function accountsOf(document: unknown): unknown[] | null {
  if (isGuardFile(document)) return [document];
  if (isRecord(document) && isRecord(document.accounts)) {
    const accounts = Object.values(document.accounts);
    return accounts.some(isGuardFile) ? accounts : null;
  }
  return null;
}

/**
 * Steam Guard secrets: a Steam Desktop Authenticator `.maFile` or the Steam app's `Steamguard-…`
 * file (old layout: one account; new layout: `{ accounts: { SteamID: account } }`), each account
 * with `shared_secret` (base64) and `account_name`. Codes are Steam's 5 characters every 30 s.
 */
export const steamFormat: ImportFormatSpec = {
  name: 'steam',
  label: 'Steam Guard (.maFile, Steam app file)',
  encryption: 'none',
  detect: (source) => accountsOf(jsonOf(source)) !== null,
  parse(source) {
    const accounts = accountsOf(jsonOf(source));
    if (accounts === null) return Promise.resolve(damagedOutcome('steam', 'no shared_secret'));
    const items = accounts.map((account, index): ImportItem => {
      const position = `account ${String(index + 1)}`;
      if (!isGuardFile(account)) return { ok: false, label: position, problem: 'not a Steam Guard account' };
      const name = typeof account.account_name === 'string' ? account.account_name : '';
      const label = itemLabel(position, name);
      const secret = decodeBase64(account.shared_secret);
      if (secret === null || secret.length === 0)
        return { ok: false, label, problem: 'the shared_secret is not base64' };
      const built = buildEntry({ secret: encodeBase32(secret), issuer: 'Steam', account: name, type: 'steam' });
      return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
    });
    return Promise.resolve(entriesOutcome('steam', items));
  },
};
