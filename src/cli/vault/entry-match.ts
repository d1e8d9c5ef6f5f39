import { CliError } from '../cli-error.js';
import { sameSecret } from './secret-rules.js';
import { displayName, maskSecret } from '../output/text-format.js';
import type { SecretEntry } from './vault-store.js';

/** What `delete` and `remote delete` look for: a name, a secret, or a text that may be either. */
export interface EntryTarget {
  readonly name?: string | undefined;
  readonly secret?: string | undefined;
  readonly either?: string | undefined;
}

/** Throws a usage error unless at least one of name, secret or positional target is given. */
export function requireTarget(target: EntryTarget): void {
  if (target.name === undefined && target.secret === undefined && target.either === undefined) {
    throw new CliError('usage', 'no secret or name given: use -n NAME or -s SECRET');
  }
}

/** The texts a name filter looks at: the name, the issuer and the account, in lower case. */
function labels(entry: SecretEntry): string[] {
  return [entry.name, entry.issuer, entry.account]
    .filter((text): text is string => text !== undefined && text !== null)
    .map((text) => text.toLowerCase());
}

/** Whether the name, issuer or account of an entry contains `text`, in any case (`generate -n`). */
export function matchesText(entry: SecretEntry, text: string): boolean {
  const lower = text.toLowerCase();
  return labels(entry).some((label) => label.includes(lower));
}

/** Whether the name, issuer or account of an entry is `text`, in any case. */
function namedAs(entry: SecretEntry, text: string): boolean {
  const lower = text.toLowerCase();
  return labels(entry).some((label) => label === lower);
}

/**
 * Every entry whose name, issuer or account is the name (in any case), or whose secret is the
 * secret (however typed).
 */
export function matchEntries<T extends SecretEntry>(entries: readonly T[], target: EntryTarget): T[] {
  return entries.filter((entry) => {
    const names = [target.name, target.either].filter((text) => text !== undefined);
    const secrets = [target.secret, target.either].filter((text) => text !== undefined);
    return names.some((name) => namedAs(entry, name)) || secrets.some((secret) => sameSecret(entry.secret, secret));
  });
}

/**
 * The one entry a name filter means, for `code`, `qr` and `rename`: an exact name first, then a
 * secret, then a case-insensitive name, issuer or account, then a unique case-insensitive part of one.
 */
export function selectOne<T extends SecretEntry>(entries: readonly T[], query: string): T {
  const tiers: ((entry: T) => boolean)[] = [
    (entry) => entry.name === query,
    (entry) => sameSecret(entry.secret, query),
    (entry) => namedAs(entry, query),
    (entry) => matchesText(entry, query),
  ];
  for (const tier of tiers) {
    const found = entries.filter(tier);
    if (found.length === 1 && found[0] !== undefined) return found[0];
    if (found.length > 1) {
      const names = found.map((entry) => displayName(entry.name)).join(', ');
      throw new CliError('ambiguous', `"${query}" matches ${String(found.length)} secrets (${names}); be more precise`);
    }
  }
  throw new CliError('not_found', `no stored secret matches "${query}"`);
}

/** The target in words, for "nothing matches" messages; a secret is shown masked. */
export function describeTarget(target: EntryTarget): string {
  const secret = target.secret === undefined ? [] : [maskSecret(target.secret)];
  return [target.either, target.name, ...secret]
    .filter((part) => part !== undefined)
    .map((part) => `"${part}"`)
    .join(' or ');
}
