import { bitwardenTotp } from './bitwarden-format.js';
import { decodeJson } from './format-crypto.js';
import type { ImportFormatSpec, ImportSource } from './format-spec.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { damagedOutcome, entriesOutcome, unsupportedOutcome } from './format-items.js';

const DATA_FILE = 'Proton Pass/data.json';
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const PGP_ARMOR = '-----BEGIN PGP MESSAGE-----';

function isProtonPass(document: unknown): document is Record<string, unknown> {
  return isRecord(document) && isRecord(document.vaults) && 'encrypted' in document;
}

function isProtonZip(source: ImportSource): boolean {
  if (!ZIP_MAGIC.every((byte, index) => source.bytes[index] === byte)) return false;
  // The local header of the data file names it in clear; a cheap search, no unzipping.
  const name = new TextEncoder().encode(DATA_FILE);
  const bytes = source.bytes;
  outer: for (let start = 0; start + name.length <= bytes.length; start++) {
    for (let index = 0; index < name.length; index++) if (bytes[start + index] !== name[index]) continue outer;
    return true;
  }
  return false;
}

/**
 * Proton Pass's export: a ZIP holding `Proton Pass/data.json`, or that JSON itself: `{ version,
 * encrypted, vaults: { id: { name, items: [{ data { type, metadata { name, note }, content {
 * itemUsername, itemEmail, totpUri } }, pinned }] } } }`. Login items with a `totpUri` are
 * imported, named after the item, filed under their vault, with their note and pin.
 * The PGP-encrypted export is refused: it needs an OpenPGP implementation open2fa does not ship.
 */
export const protonPassFormat: ImportFormatSpec = {
  name: 'proton-pass',
  label: 'Proton Pass (export ZIP or JSON)',
  encryption: 'optional',
  detect: (source) => isProtonPass(jsonOf(source)) || isProtonZip(source),
  async parse(source) {
    let document = jsonOf(source);
    if (isProtonZip(source)) {
      const { unzipSync } = await import('fflate');
      let files: Record<string, Uint8Array>;
      try {
        files = unzipSync(source.bytes, { filter: (file) => file.name === DATA_FILE });
      } catch {
        return damagedOutcome('proton-pass', 'the ZIP file cannot be unpacked');
      }
      const data = files[DATA_FILE];
      if (data === undefined) return damagedOutcome('proton-pass', `no ${DATA_FILE} in the ZIP file`);
      document = decodeJson(data);
    }
    if (!isProtonPass(document)) return damagedOutcome('proton-pass', 'not a Proton Pass data.json');
    if (document.encrypted === true || source.text?.startsWith(PGP_ARMOR) === true) {
      return unsupportedOutcome(
        'proton-pass',
        'an encrypted Proton Pass export is not supported: export again without encryption',
      );
    }
    return entriesOutcome('proton-pass', protonItems(document.vaults));
  },
};

function protonItems(vaults: unknown): ImportItem[] {
  const found: ImportItem[] = [];
  for (const vault of Object.values(isRecord(vaults) ? vaults : {})) {
    if (!isRecord(vault) || !Array.isArray(vault.items)) continue;
    const vaultName = typeof vault.name === 'string' ? vault.name : undefined;
    vault.items.forEach((item: unknown, index) => {
      const data = isRecord(item) && isRecord(item.data) ? item.data : {};
      const content = isRecord(data.content) ? data.content : {};
      const metadata = isRecord(data.metadata) ? data.metadata : {};
      if (data.type !== 'login' || typeof content.totpUri !== 'string' || content.totpUri.trim() === '') return;
      const username = [content.itemUsername, content.itemEmail].find(
        (value) => typeof value === 'string' && value !== '',
      );
      const built = bitwardenTotp({
        totp: content.totpUri,
        name: metadata.name,
        username,
        notes: typeof metadata.note === 'string' && metadata.note !== '' ? metadata.note : undefined,
        favorite: isRecord(item) && item.pinned === true,
        folder: vaultName,
      });
      const label = itemLabel(`${vaultName ?? 'vault'} item ${String(index + 1)}`, built.label);
      found.push(
        built.result.ok
          ? { ok: true, label, entry: built.result.entry }
          : { ok: false, label, problem: built.result.problem },
      );
    });
  }
  return found;
}
