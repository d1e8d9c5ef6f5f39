import { bitwardenTotp } from './bitwarden-format.js';
import type { ImportFormatSpec } from './format-spec.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { damagedOutcome, entriesOutcome } from './format-items.js';

function isProtonAuthenticator(document: unknown): document is Record<string, unknown> {
  return (
    isRecord(document) &&
    Array.isArray(document.entries) &&
    document.entries.some((entry) => isRecord(entry) && isRecord(entry.content) && 'uri' in entry.content)
  );
}

/**
 * Proton Authenticator's JSON export: `{ version, entries: [{ id, content { uri, entry_type, name },
 * note }] }`. The URI is `otpauth://` (or `steam://SECRET` for Steam entries); the entry's name is
 * the account unless the URI names one, and its note is kept.
 */
export const protonAuthenticatorFormat: ImportFormatSpec = {
  name: 'proton-authenticator',
  label: 'Proton Authenticator (JSON)',
  encryption: 'none',
  detect: (source) => isProtonAuthenticator(jsonOf(source)),
  parse(source) {
    const document = jsonOf(source);
    if (!isProtonAuthenticator(document)) return Promise.resolve(damagedOutcome('proton-authenticator', 'no entries'));
    const entries = Array.isArray(document.entries) ? document.entries : [];
    const items = entries.map((entry: unknown, index): ImportItem => {
      const position = `entry ${String(index + 1)}`;
      const content = isRecord(entry) && isRecord(entry.content) ? entry.content : null;
      if (content === null || typeof content.uri !== 'string') {
        return { ok: false, label: position, problem: 'not a Proton Authenticator entry' };
      }
      const note = isRecord(entry) && typeof entry.note === 'string' && entry.note !== '' ? entry.note : undefined;
      const steam = /^steam:/i.test(content.uri);
      const built = bitwardenTotp({
        totp: content.uri,
        name: steam ? 'Steam' : '',
        username: content.name,
        notes: note,
      });
      const label = itemLabel(position, typeof content.name === 'string' ? content.name : built.label);
      return built.result.ok
        ? { ok: true, label, entry: built.result.entry }
        : { ok: false, label, problem: built.result.problem };
    });
    return Promise.resolve(entriesOutcome('proton-authenticator', items));
  },
};
