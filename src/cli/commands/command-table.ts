import type { CommandModule } from './command-module.js';

/** A command: its name and aliases, known without loading it, and its file. */
export interface CommandEntry {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly load: () => Promise<CommandModule>;
}

/** A command that only groups others (`remote`); its help is here, its commands in their own table. */
export interface CommandGroup {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly description: string;
  readonly examples: readonly string[];
  readonly commands: readonly CommandEntry[];
}

/**
 * `open2fa remote …`: the sync commands, each working through the protocol the configuration
 * chooses (v2 unless OPEN2FA_PROTOCOL=v1), with the Python client's short aliases.
 */
const REMOTE: CommandGroup = {
  name: 'remote',
  aliases: ['r'],
  description: 'sync with the open2fa server (secrets are encrypted before they leave)',
  examples: ['open2fa remote init', 'open2fa remote push', 'OPEN2FA_UUID=… open2fa remote pull'],
  commands: [
    { name: 'init', aliases: ['ini'], load: () => import('./remote/init.js') },
    { name: 'push', aliases: ['pus'], load: () => import('./remote/push.js') },
    { name: 'pull', aliases: ['pul'], load: () => import('./remote/pull.js') },
    { name: 'migrate', aliases: ['mig'], load: () => import('./remote/migrate.js') },
    { name: 'delete', aliases: ['del', 'd'], load: () => import('./remote/delete.js') },
    { name: 'list', aliases: ['l'], load: () => import('./remote/list.js') },
    { name: 'info', aliases: ['inf'], load: () => import('./remote/info.js') },
  ],
};

/**
 * Every command, in the order of `open2fa --help`: the vault (add, delete, rename), its views (list,
 * info), codes (generate, code), transfers (import, export, qr), then `remote`.
 */
export const COMMANDS: readonly (CommandEntry | CommandGroup)[] = [
  { name: 'add', aliases: ['a'], load: () => import('./add.js') },
  { name: 'delete', aliases: ['d'], load: () => import('./delete.js') },
  { name: 'rename', aliases: [], load: () => import('./rename.js') },
  { name: 'list', aliases: ['l'], load: () => import('./list.js') },
  { name: 'info', aliases: ['i'], load: () => import('./info.js') },
  { name: 'generate', aliases: ['g'], load: () => import('./generate.js') },
  { name: 'code', aliases: [], load: () => import('./code.js') },
  { name: 'import', aliases: [], load: () => import('./import.js') },
  { name: 'export', aliases: [], load: () => import('./export.js') },
  { name: 'qr', aliases: [], load: () => import('./qr.js') },
  REMOTE,
];

/**
 * The entries `word` (the next argument) names, or all of them when it names none (help, a typo,
 * an option): a run loads only the command it executes, which keeps `open2fa code` fast.
 */
export function entriesFor<T extends { readonly name: string; readonly aliases: readonly string[] }>(
  table: readonly T[],
  word: string | undefined,
): { readonly entries: readonly T[]; readonly named: boolean } {
  const named = table.filter((entry) => entry.name === word || entry.aliases.some((alias) => alias === word));
  return named.length > 0 ? { entries: named, named: true } : { entries: table, named: false };
}
