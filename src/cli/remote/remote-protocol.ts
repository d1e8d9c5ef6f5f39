import type { Protocol } from '../cli-settings.js';
import type { CommandContext } from '../command-context.js';
import type { RemoteCounts } from '../output/info-report.js';
import type { ListOptions } from '../output/secret-list.js';
import type { EntryTarget } from '../vault/entry-match.js';

/**
 * What `open2fa remote …` does, in one wire protocol. `v1/` and `v2/` implement it with the same
 * file names for the same roles; commands call it and never ask which protocol it is.
 */
export interface RemoteProtocol {
  /** Sends this device's secrets to the server (v1: all of them, upserted; v2: its changes, merged first). */
  push(context: CommandContext): Promise<void>;
  /** Adds or merges the server's secrets here; nothing is sent. */
  pull(context: CommandContext): Promise<void>;
  /** Prints what the server holds, decrypted here; nothing is saved. */
  list(context: CommandContext, options: ListOptions): Promise<void>;
  /** The server's counts for `remote info` (warnings go to stderr; the command prints the block). */
  info(context: CommandContext): Promise<RemoteCounts>;
  /** Deletes the remote copies of the target (the local copy stays, as in 1.x). */
  delete(context: CommandContext, target: EntryTarget): Promise<void>;
  /** Moves this ID's v1 entries into v2 items, after asking (`yes` skips the question). */
  migrate(context: CommandContext, options: MigrateOptions): Promise<void>;
}

export interface MigrateOptions {
  /** Do not ask (for scripts). */
  readonly yes: boolean;
}

/** Each protocol's module, imported only when it is the one configured. */
const IMPLEMENTATIONS: Readonly<Record<Protocol, () => Promise<{ readonly protocol: RemoteProtocol }>>> = {
  v1: () => import('./v1/protocol.js'),
  v2: () => import('./v2/protocol.js'),
};

/**
 * The protocol the configuration chooses: v2 (docs/protocol.md) by default, `OPEN2FA_PROTOCOL=v1`
 * for the legacy format that open2fa 1.x clients read. Every remote setting is checked here, so one
 * run reports all of their problems before anything is sent.
 */
export async function remoteProtocol(context: CommandContext): Promise<RemoteProtocol> {
  const { protocol } = context.settings('protocol', 'apiUrl', 'vaultDir', 'uuid');
  return (await IMPLEMENTATIONS[protocol]()).protocol;
}
