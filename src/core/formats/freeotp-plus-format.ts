import type { ImportFormatSpec, ImportOutcome, ImportSource } from './format-spec.js';
import { entriesOutcome, position, unsupportedOutcome } from './format-items.js';
import { parseTokensXml } from './freeotp-format.js';
import { freeotpTokenItem } from './freeotp-token.js';
import { isRecord } from './import-item.js';

const FORMAT = 'freeotp-plus';

/**
 * FreeOTP+: its JSON export, `{ tokenOrder: [...], tokens: [...] }` with FreeOTP's token fields
 * (the secret as signed bytes), and its internal `shared_prefs/tokens.xml`, which has FreeOTP's
 * layout (detection gives that file to `freeotp`; `--format freeotp-plus` reads it here alike).
 */
export const freeotpPlusFormat: ImportFormatSpec = {
  name: FORMAT,
  label: 'FreeOTP+ (JSON export, or its tokens.xml)',
  encryption: 'none',
  detect: (source) => freeotpPlusDocument(source) !== null,
  parse: (source) => Promise.resolve(parse(source)),
};

function parse(source: ImportSource): ImportOutcome {
  const document = freeotpPlusDocument(source);
  if (document === null) {
    if (source.text?.trimStart().startsWith('<') === true) return parseTokensXml(FORMAT, source.text);
    return unsupportedOutcome(FORMAT, 'the file is neither a FreeOTP+ JSON export nor its tokens.xml');
  }
  return entriesOutcome(
    FORMAT,
    document.tokens.map((token, index) => freeotpTokenItem(position(index), token)),
  );
}

function freeotpPlusDocument(source: ImportSource): { tokens: readonly unknown[] } | null {
  const text = source.text?.trim();
  if (text?.startsWith('{') !== true || !text.includes('"tokens"')) return null;
  try {
    const document: unknown = JSON.parse(text);
    if (isRecord(document) && Array.isArray(document.tokens) && Array.isArray(document.tokenOrder)) {
      return { tokens: document.tokens as unknown[] };
    }
  } catch {
    // Not JSON: not this format.
  }
  return null;
}
