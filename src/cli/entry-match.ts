import { CliError } from './cli-error.js';
import { sameSecret } from './secret-rules.js';
import { displayName, maskSecret } from './text-format.js';
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

/** Every entry whose name equals the name exactly, or whose secret is the secret (however typed). */
export function matchEntries<T extends SecretEntry>(entries: readonly T[], target: EntryTarget): T[] {
  return entries.filter((entry) => {
    const names = [target.name, target.either].filter((text) => text !== undefined);
    const secrets = [target.secret, target.either].filter((text) => text !== undefined);
    return names.some((name) => entry.name === name) || secrets.some((secret) => sameSecret(entry.secret, secret));
  });
}

/**
 * The one entry a name filter means, for `code` and `rename`: an exact name first, then a secret,
 * then a case-insensitive name, then a unique case-insensitive substring of the name.
 */
export function selectOne<T extends SecretEntry>(entries: readonly T[], query: string): T {
  const lower = query.toLowerCase();
  const tiers: ((entry: T) => boolean)[] = [
    (entry) => entry.name === query,
    (entry) => sameSecret(entry.secret, query),
    (entry) => entry.name?.toLowerCase() === lower,
    (entry) => entry.name?.toLowerCase().includes(lower) === true,
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
