import { buildEntry } from './entry-builder.js';
import type { ImportFormatSpec } from './format-spec.js';
import type { ImportItem } from './import-item.js';
import { parseUriLines, uriSchemes } from './otpauth-lines-format.js';
import { damagedOutcome, entriesOutcome } from './format-items.js';

/**
 * WinAuth's "Export → text file": one `otpauth://` URI per line, labelled with the authenticator's
 * name in WinAuth, which open2fa keeps as the issuer (as Aegis does). The content is plain otpauth
 * lines: WinAuth's own file name (`winauth-….txt`) tells it apart, or `--format winauth`.
 */
export const winAuthFormat: ImportFormatSpec = {
  name: 'winauth',
  label: 'WinAuth (text export)',
  encryption: 'none',
  detect: (source) => /winauth/i.test(source.fileName) && uriSchemes(source).otpauth,
  parse(source) {
    const lines = parseUriLines(source.text ?? '');
    if (!lines.sawOtpauth) return Promise.resolve(damagedOutcome('winauth', 'no otpauth:// line'));
    return Promise.resolve(entriesOutcome('winauth', lines.items.map(nameAsIssuer), lines.warnings));
  },
};

function nameAsIssuer(item: ImportItem): ImportItem {
  if (!item.ok || item.entry.issuer !== undefined || item.entry.name === null) return item;
  const built = buildEntry({ ...item.entry, issuer: item.entry.name, account: undefined, name: undefined });
  return built.ok ? { ...item, entry: built.entry } : { ok: false, label: item.label, problem: built.problem };
}
