import { canonicalSecret } from '../entry/compare.js';
import { labelParts, type Entry } from '../entry/model.js';
import { randomUuid } from '../uuid.js';
import { buildEntry } from './entry-builder.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';

/** Whether a parsed JSON document is an Aegis vault: `{ version, header, db }`. */
export function isAegisVault(document: unknown): document is Record<string, unknown> {
  return isRecord(document) && 'header' in document && 'db' in document;
}

/** An encrypted Aegis vault has key slots and its `db` is base64 text instead of an object. */
export function isEncryptedAegis(document: Record<string, unknown>): boolean {
  const header = document.header;
  return typeof document.db === 'string' || (isRecord(header) && header.slots !== null && header.slots !== undefined);
}

/**
 * The entries of a plain Aegis vault export: `db.entries[]` with `type` (totp, hotp, steam), `name`
 * (the account), `issuer`, `note` and `info { secret, algo, digits, period, counter }`.
 *
 * @see https://github.com/beemdevelopment/Aegis/blob/master/docs/vault.md
 */
export function parseAegis(document: Record<string, unknown>): ImportItem[] | null {
  const db = document.db;
  if (!isRecord(db) || !Array.isArray(db.entries)) return null;
  return db.entries.map((item: unknown, index): ImportItem => {
    const position = `entry ${String(index + 1)}`;
    if (!isRecord(item) || !isRecord(item.info)) return { ok: false, label: position, problem: 'not an Aegis entry' };
    const info = item.info;
    const label = itemLabel(
      position,
      [item.issuer, item.name].filter((part) => typeof part === 'string' && part !== '').join(':'),
    );
    const built = buildEntry({
      secret: info.secret,
      issuer: item.issuer,
      account: item.name,
      type: item.type,
      algorithm: info.algo,
      digits: info.digits,
      period: item.type === 'hotp' ? undefined : info.period,
      counter: item.type === 'hotp' ? info.counter : undefined,
      note: item.note,
    });
    return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
  });
}

/**
 * A plain (unencrypted) Aegis vault holding the entries, which Aegis imports as "Aegis (.json)".
 * `uuid` makes the entry UUIDs; tests pass a fixed one.
 */
export function serializeAegis(entries: readonly Entry[], uuid: () => string = randomUuid): string {
  const vault = {
    version: 1,
    header: { slots: null, params: null },
    db: {
      version: 2,
      entries: entries.map((entry) => {
        const { issuer, account } = labelParts(entry);
        return {
          type: entry.type,
          uuid: uuid(),
          name: account,
          issuer,
          note: entry.note ?? '',
          favorite: false,
          icon: null,
          info: {
            secret: canonicalSecret(entry.secret),
            algo: entry.algorithm,
            digits: entry.digits,
            ...(entry.type === 'hotp' ? { counter: entry.counter } : { period: entry.period }),
          },
        };
      }),
    },
  };
  return `${JSON.stringify(vault, null, 4)}\n`;
}
