import { entryContent, sealTombstone } from '../../../core/v2/cipher.js';
import { openFailureText } from '../../../core/v2/open.js';
import { unwrap } from '../http/http-errors.js';
import { makeEntry, type Entry } from '../../../core/entry/model.js';
import { randomItemId } from '../../../core/v2/cipher.js';
import { CliError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import type { RemoteCounts } from '../../output/info-report.js';
import { printSecrets, type ListOptions } from '../../output/secret-list.js';
import { describeTarget, type EntryTarget } from '../../vault/entry-match.js';
import { sameSecret } from '../../vault/secret-rules.js';
import { loadSyncState, saveSyncState } from '../../vault/sync-state-file.js';
import { saveKnownCopies } from '../../vault/v1-copies-file.js';
import { decryptFailure, openV1List, warnFailures, type OpenedV1Entry } from '../legacy-v1-entries.js';
import { accountMode, describeMode, listV1 } from '../mixed-account.js';
import type { MigrateOptions } from '../remote-protocol.js';
import { fetchLiveEntries, integrityFailure, openV2Session, printWarnings, type RemoteEntry } from './session.js';

/**
 * `open2fa remote list` (v2): the live items and the v1 entries (those 1.x clients see), decrypted
 * here and marked by protocol; nothing is saved.
 */
export async function list(context: CommandContext, options: ListOptions): Promise<void> {
  const session = await openV2Session(context);
  const [{ entries, failures }, v1] = await Promise.all([fetchLiveEntries(session), listV1(session.v1Client)]);
  warnIntegrity(context, failures);
  const opened = await openV1List(session.v1Key, v1);
  warnFailures(context, opened.failures);
  const v1Listed = opened.secrets.map(({ secret, name }) => ({ secret, name, fields: { protocol: 'v1' } }));
  // Marked only on a mixed account, so the JSON of a v2-only account keeps its shape.
  const mark = v1Listed.length > 0 ? { fields: { protocol: 'v2' } } : {};
  const v2Listed = entries.map(({ entry }) => ({ ...entry, ...mark }));
  const empty = 'No secrets are stored remotely for this Open2FA ID.\n';
  if (options.json || v1Listed.length === 0) {
    printSecrets(context, [...v2Listed, ...v1Listed], options, empty);
  } else {
    context.out('v2 items:\n');
    printSecrets(context, v2Listed, options, '(none)\n');
    context.out('\nv1 entries (what open2fa 1.x clients see):\n');
    printSecrets(context, v1Listed, options, '(none)\n');
  }
  if (failures.length > 0) throw integrityFailure(failures.length);
  if (opened.failures.length > 0) throw decryptFailure(opened.failures);
}

/**
 * `open2fa remote delete` (v2): deletes the remote items with that exact name or that secret, at
 * the revision just read (If-Match). The local copy stays, as in 1.x, and this device forgets the
 * link, so its next push uploads the local copy again unless it is deleted here too.
 */
export async function remove(context: CommandContext, target: EntryTarget): Promise<void> {
  const session = await openV2Session(context);
  const [{ entries }, v1] = await Promise.all([fetchLiveEntries(session), listV1(session.v1Client)]);
  const doomed = entries.filter(({ entry }) => matches(entry, target));
  // On a mixed account the v1 copies go too, or 1.x clients (and the next pull) would bring them back.
  const v1Doomed = (await openV1List(session.v1Key, v1)).secrets.filter((opened) =>
    matches(makeEntry(opened.secret, opened.name), target),
  );
  if (doomed.length === 0 && v1Doomed.length === 0) {
    throw new CliError('not_found', `no remote secret matches ${describeTarget(target)}; nothing deleted`);
  }
  const v1Deleted =
    v1Doomed.length === 0 ? 0 : ((await session.v1Client.delete(v1Doomed.map(({ totp }) => totp)))?.deleted ?? 0);
  // The sync state is read and written under the lock, so a sync running meanwhile keeps its record.
  const deleted = await context.lockVault(session.dir, async () => {
    let count = 0;
    const state = await loadSyncState(session.dir, session.account);
    const items = new Map(Object.entries(state.items));
    for (const { item } of doomed) {
      const tombstone = await sealTombstone(
        session.envelopeKey,
        { userId: session.userId, itemId: item.id },
        item.rev + 1,
      );
      const outcome = await session.client.delete(item.id, item.rev, tombstone);
      if (outcome.status === 'conflict') {
        context.err(`warning: item ${item.id} changed on the server meanwhile; not deleted\n`);
        continue;
      }
      items.delete(item.id);
      if (outcome.status === 'ok') count++;
    }
    await saveSyncState(session.dir, session.account, { ...state, items: Object.fromEntries(items) });
    return count;
  });
  const alsoV1 = v1Deleted > 0 ? ` and ${String(v1Deleted)} v1 cop${v1Deleted === 1 ? 'y' : 'ies'}` : '';
  context.out(`Deleted ${String(deleted)} secret(s)${alsoV1} from remote.\n`);
  context.out(
    'The local copy is kept; remove it with `open2fa delete` if you want it gone here too ' +
      '(otherwise the next push uploads it again).\n',
  );
}

function matches(entry: Entry, target: EntryTarget): boolean {
  const names = [target.name, target.either].filter((text) => text !== undefined);
  const secrets = [target.secret, target.either].filter((text) => text !== undefined);
  return names.some((name) => entry.name === name) || secrets.some((secret) => sameSecret(entry.secret, secret));
}

/** `open2fa remote info` (v2): the number of remote items, and of the v1 entries still there. */
export async function info(context: CommandContext): Promise<RemoteCounts> {
  const session = await openV2Session(context);
  const [{ entries, failures }, v1] = await Promise.all([fetchLiveEntries(session), session.v1Client.list()]);
  warnIntegrity(context, failures);
  const v1Entries = v1?.length ?? 0;
  return {
    remoteSecrets: entries.length,
    ...(v1Entries > 0 ? { remoteV1Entries: v1Entries } : {}),
    accountMode: describeMode(accountMode(v1Entries), v1Entries),
  };
}

/**
 * `open2fa remote migrate`: copies the v1 entries into v2 items, reads them back and checks that
 * they decrypt to the same entries, and only then deletes the v1 copies. Running it again is safe:
 * an entry whose secret is already a v2 item is not copied twice.
 */
export async function migrate(context: CommandContext, options: MigrateOptions): Promise<void> {
  const session = await openV2Session(context);
  const v1 = (await session.v1Client.list()) ?? [];
  if (v1.length === 0) {
    context.out('No v1 entries to migrate.\n');
    return;
  }
  if (!(await confirmMigration(context, v1.length, options))) {
    context.out('Migration cancelled; nothing was changed.\n');
    return;
  }
  const { secrets, failures } = await openV1List(session.v1Key, v1);
  warnFailures(context, failures);
  // The v1 entry as a v2 entry: its secret and name, with the defaults for everything else.
  const usable = secrets.map((opened) => ({ totp: opened.totp, entry: makeEntry(opened.secret, opened.name) }));
  const before = await fetchLiveEntries(session);
  const wanted = new Map<string, { totp: OpenedV1Entry['totp']; entry: Entry }>();
  let already = 0;
  for (const candidate of usable) {
    const present = before.entries.some(({ entry }) => sameSecret(entry.secret, candidate.entry.secret));
    if (present) already++;
    else wanted.set(randomItemId(), candidate);
  }
  for (const [id, { entry }] of wanted) {
    const outcome = unwrap(await session.transport.put(id, 0, entry));
    if (outcome.status !== 'ok')
      throw new CliError('remote_http', `could not create item ${id} on ${session.client.url}`);
  }
  const after = await fetchLiveEntries(session);
  printWarnings(
    context,
    after.failures.map((failure) => ({ message: `${openFailureText(failure)}; skipped` })),
  );
  const verified = usable.filter(({ entry }) => after.entries.some((remote) => sameCopy(remote, entry)));
  const unverified = usable.length - verified.length;
  const removed =
    verified.length === 0 ? 0 : ((await session.v1Client.delete(verified.map(({ totp }) => totp)))?.deleted ?? 0);
  context.out(
    `Migrated ${String(verified.length)} v1 entr${verified.length === 1 ? 'y' : 'ies'} to v2 ` +
      `(${String(wanted.size)} copied, ${String(already)} already there); removed ${String(removed)} v1 ` +
      `cop${removed === 1 ? 'y' : 'ies'}.\n`,
  );
  // Every v1 copy went: what this device knew of them would only mislead a later mixed account.
  if (unverified === 0) {
    await context.lockVault(session.dir, () => saveKnownCopies(session.dir, session.account, {}));
  }
  if (unverified > 0) {
    throw new CliError(
      'sync_incomplete',
      `${String(unverified)} v1 entries could not be verified in v2; their v1 copies were kept`,
    );
  }
  if (failures.length > 0) throw decryptFailure(failures);
}

/**
 * Says what migrating costs and asks. Without a terminal and without `--yes` there is nobody to ask:
 * a usage error (exit 2), so a script never migrates by accident.
 */
async function confirmMigration(context: CommandContext, count: number, options: MigrateOptions): Promise<boolean> {
  const warning =
    `Migrating moves ${String(count)} v1 ${count === 1 ? 'entry' : 'entries'} into v2 items and removes the v1 ` +
    "copies: open2fa 1.x clients (the Python client and older servers' pages) will no longer see the migrated " +
    'secrets, and this CLI stops writing v1 copies on push. Update every device first.';
  if (options.yes) return true;
  if (!context.deps.stdinIsTTY) {
    throw new CliError('usage', `${warning} No terminal to ask on: run \`open2fa remote migrate --yes\` to go ahead`);
  }
  context.out(`${warning}\n`);
  return (await context.prompter()).confirm('Migrate now?');
}

/** A v2 item holds the v1 entry: exactly (a fresh copy) or by its secret (migrated before). */
function sameCopy(remote: RemoteEntry, entry: Entry): boolean {
  return entryContent(remote.entry) === entryContent(entry) || sameSecret(remote.entry.secret, entry.secret);
}

function warnIntegrity(context: Pick<CommandContext, 'err'>, failures: readonly { readonly id: string }[]): void {
  printWarnings(
    context,
    failures.map((failure) => ({
      message: `item ${failure.id} failed its integrity check (tampered or damaged); skipped`,
    })),
  );
}
