import { buildEntry } from './entry-builder.js';
import type { ImportFormatSpec } from './format-spec.js';
import { isRecord, itemLabel, type ImportItem } from './import-item.js';
import { jsonOf } from './import-source.js';
import { damagedOutcome, entriesOutcome } from './format-items.js';

function isDuoAccounts(document: unknown): document is unknown[] {
  return Array.isArray(document) && document.some((account) => isRecord(account) && isRecord(account.otpGenerator));
}

/**
 * Duo Mobile's accounts file (`duokit/accounts.json`): a list of `{ name, otpGenerator { otpSecret
 * (base32), counter } }`; an account with a counter is HOTP, the others TOTP (SHA1, 6 digits, 30 s).
 */
export const duoFormat: ImportFormatSpec = {
  name: 'duo',
  label: 'Duo Mobile (accounts.json)',
  encryption: 'none',
  detect: (source) => isDuoAccounts(jsonOf(source)),
  parse(source) {
    const document = jsonOf(source);
    if (!isDuoAccounts(document)) return Promise.resolve(damagedOutcome('duo', 'no otpGenerator'));
    const items = document.map((account, index): ImportItem => {
      const position = `account ${String(index + 1)}`;
      if (!isRecord(account) || !isRecord(account.otpGenerator)) {
        return { ok: false, label: position, problem: 'not a Duo account' };
      }
      const label = itemLabel(position, typeof account.name === 'string' ? account.name : null);
      const generator = account.otpGenerator;
      const hotp = generator.counter !== undefined && generator.counter !== null;
      const built = buildEntry({
        secret: generator.otpSecret,
        account: account.name,
        type: hotp ? 'hotp' : 'totp',
        counter: hotp ? generator.counter : undefined,
      });
      return built.ok ? { ok: true, label, entry: built.entry } : { ok: false, label, problem: built.problem };
    });
    return Promise.resolve(entriesOutcome('duo', items));
  },
};
