import { canonicalSecret } from '../entry/compare.js';
import { labelParts, type Entry } from '../entry/model.js';
import { randomUuid } from '../uuid.js';
import { buildEntry } from './entry-builder.js';
import type { ImportFormatSpec } from './format-spec.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { damagedOutcome, entriesOutcome } from './format-items.js';

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
 * (the account), `issuer`, `note`, `favorite`, `groups` (UUIDs of `db.groups[]`; vaults before
 * version 3 name one `group`) and `info { secret, algo, digits, period, counter }`.
 *
 * @see https://github.com/beemdevelopment/Aegis/blob/master/docs/vault.md
 */
export function parseAegis(document: Record<string, unknown>): ImportItem[] | null {
  return parseAegisContent(document.db);
}

/** The entries of the vault content (`db`), plain or decrypted. */
export function parseAegisContent(db: unknown): ImportItem[] | null {
  if (!isRecord(db) || !Array.isArray(db.entries)) return null;
  const groupNames = new Map<unknown, unknown>(
    (Array.isArray(db.groups) ? db.groups : []).filter(isRecord).map((group) => [group.uuid, group.name]),
  );
  return db.entries.map((item: unknown, index): ImportItem => {
    const position = `entry ${String(index + 1)}`;
    if (!isRecord(item) || !isRecord(item.info)) return { ok: false, label: position, problem: 'not an Aegis entry' };
    const info = item.info;
    const label = itemLabel(
      position,
      [item.issuer, item.name].filter((part) => typeof part === 'string' && part !== '').join(':'),
    );
    const groups = Array.isArray(item.groups)
      ? item.groups.map((uuid: unknown) => groupNames.get(uuid) ?? uuid)
      : typeof item.group === 'string'
        ? [item.group]
        : undefined;
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
      groups,
      favorite: item.favorite,
    });
    return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
  });
}

/**
 * A plain (unencrypted) Aegis vault holding the entries, which Aegis imports as "Aegis (.json)".
 * `uuid` makes the entry and group UUIDs; tests pass a fixed one.
 */
export function serializeAegis(entries: readonly Entry[], uuid: () => string = randomUuid): string {
  const vault = { version: 1, header: { slots: null, params: null }, db: aegisContent(entries, uuid) };
  return `${JSON.stringify(vault, null, 4)}\n`;
}

/** The vault content (`db`, version 3): entries, and the groups they name. */
export function aegisContent(entries: readonly Entry[], uuid: () => string = randomUuid): Record<string, unknown> {
  const groupIds = new Map<string, string>();
  for (const name of entries.flatMap((entry) => entry.groups ?? [])) {
    if (!groupIds.has(name)) groupIds.set(name, uuid());
  }
  return {
    version: 3,
    entries: entries.map((entry) => {
      const { issuer, account } = labelParts(entry);
      return {
        type: entry.type,
        uuid: uuid(),
        name: account,
        issuer,
        note: entry.note ?? '',
        favorite: entry.favorite === true,
        icon: null,
        info: {
          secret: canonicalSecret(entry.secret),
          algo: entry.algorithm,
          digits: entry.digits,
          ...(entry.type === 'hotp' ? { counter: entry.counter } : { period: entry.period }),
        },
        groups: (entry.groups ?? []).map((name) => groupIds.get(name)),
      };
    }),
    groups: [...groupIds].map(([name, id]) => ({ uuid: id, name })),
  };
}

/** Aegis's vault file, plain or encrypted with a password (scrypt and AES-256-GCM key slots). */
export const aegisFormat: ImportFormatSpec = {
  name: 'aegis',
  label: 'Aegis (JSON, plain or encrypted)',
  encryption: 'optional',
  detect: (source) => isAegisVault(jsonOf(source)),
  async parse(source, options) {
    const document = jsonOf(source);
    if (!isAegisVault(document)) return damagedOutcome('aegis', 'not an Aegis vault');
    if (isEncryptedAegis(document)) {
      if (options.password === undefined) return { kind: 'password-needed', format: 'aegis' };
      const { decryptAegisVault } = await import('./aegis-vault-crypto.js');
      const opened = await decryptAegisVault(document, options.password);
      if (opened.kind !== 'content')
        return opened.kind === 'wrong-password' ? opened : damagedOutcome('aegis', opened.why);
      const items = parseAegisContent(opened.content);
      return items === null
        ? damagedOutcome('aegis', 'the decrypted vault has no entries')
        : entriesOutcome('aegis', items);
    }
    const items = parseAegis(document);
    return items === null ? damagedOutcome('aegis', 'no db.entries list') : entriesOutcome('aegis', items);
  },
};
