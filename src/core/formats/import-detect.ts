import { isAegisVault, isEncryptedAegis, parseAegis } from './aegis-format.js';
import { isAndOtpBackup, parseAndOtp } from './andotp-format.js';
import { isBitwardenExport, parseBitwarden } from './bitwarden-format.js';
import { isEncryptedBackup } from './encrypted-backup.js';
import type { ImportItem, ParsedImport } from './import-item.js';
import { isOpen2faExport, parseOpen2fa } from './open2fa-format.js';
import { parseUriLines } from './otpauth-lines-format.js';
import { isEncryptedTwoFas, isTwoFasBackup, parseTwoFas } from './twofas-format.js';

/** What an import file turned out to be. */
export type DetectedImport =
  | ({ readonly kind: 'entries' } & ParsedImport)
  | { readonly kind: 'backup'; readonly document: Record<string, unknown> }
  | { readonly kind: 'unsupported'; readonly message: string };

const UNENCRYPTED = 'export it again without a password (unencrypted), import that, then delete it';

/**
 * The synchronous reader of today's CLI and page, kept until they switch to `detectImport` of
 * format-registry.ts (which reads every format, encrypted ones included).
 *
 * Works out the format of an import file's text and parses it: open2fa's JSON export or encrypted
 * backup, Aegis, 2FAS, andOTP, Bitwarden (JSON), or lines of `otpauth://` and
 * `otpauth-migration://` URIs (Ente Auth's plain export is such a file). Encrypted exports of other
 * apps come back as `unsupported`, with what to do instead.
 *
 * @param fileName only used to recognise binary encrypted andOTP backups by their `.aes` name
 */
export function parseImport(text: string, fileName = ''): DetectedImport {
  const content = text.replace(/^\uFEFF/, '').trim();
  if (content.startsWith('-----BEGIN PGP MESSAGE-----') || /\.(aes|gpg|pgp)$/i.test(fileName)) {
    return { kind: 'unsupported', message: `an encrypted andOTP backup is not supported: ${UNENCRYPTED}` };
  }
  if (content.startsWith('{') || content.startsWith('[')) return parseJson(content);
  return fromUriLines(content);
}

function parseJson(content: string): DetectedImport {
  let document: unknown;
  try {
    document = JSON.parse(content);
  } catch {
    return { kind: 'unsupported', message: 'the file looks like JSON but is not valid JSON' };
  }
  const found = (format: ParsedImport['format'], items: readonly ImportItem[] | null): DetectedImport =>
    items === null
      ? { kind: 'unsupported', message: `the ${format} file has no list of entries where one is expected` }
      : { kind: 'entries', format, items, warnings: [] };
  if (isEncryptedBackup(document)) return { kind: 'backup', document };
  if (isOpen2faExport(document)) {
    const items = parseOpen2fa(document);
    if (items === null)
      return { kind: 'unsupported', message: 'this open2fa export is of a newer version: update open2fa' };
    return found('open2fa', items);
  }
  if (isAegisVault(document)) {
    if (isEncryptedAegis(document)) return encrypted('Aegis');
    return found('aegis', parseAegis(document));
  }
  if (isTwoFasBackup(document)) {
    if (isEncryptedTwoFas(document)) return encrypted('2FAS');
    return found('2fas', parseTwoFas(document));
  }
  if (isBitwardenExport(document)) {
    if (document.encrypted !== false) return encrypted('Bitwarden');
    return found('bitwarden', parseBitwarden(document));
  }
  if (isAndOtpBackup(document)) return found('andotp', parseAndOtp(document));
  return {
    kind: 'unsupported',
    message: 'unknown JSON format: expected an Aegis, 2FAS, andOTP, Bitwarden or open2fa export',
  };
}

function encrypted(app: string): DetectedImport {
  return { kind: 'unsupported', message: `an encrypted ${app} export is not supported: ${UNENCRYPTED}` };
}

function fromUriLines(content: string): DetectedImport {
  const { items, warnings, sawMigration, sawOtpauth } = parseUriLines(content);
  if (!sawMigration && !sawOtpauth) {
    return {
      kind: 'unsupported',
      message:
        'unknown format: expected otpauth:// or otpauth-migration:// lines, a JSON export (Aegis, 2FAS, andOTP, Bitwarden, open2fa) or a PNG/JPEG QR code',
    };
  }
  return { kind: 'entries', format: sawMigration && !sawOtpauth ? 'google-migration' : 'otpauth', items, warnings };
}
