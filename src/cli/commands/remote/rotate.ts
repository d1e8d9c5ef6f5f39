import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { deriveV1Credentials } from '../../../core/v1/keys.js';
import { isUuid } from '../../../core/uuid.js';
import { EMPTY_SYNC_STATE } from '../../../core/v2/sync/types.js';
import { CliError } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import { printable } from '../../output/text-format.js';
import { eraseAccount } from '../../remote/account-erase.js';
import { warnFailures } from '../../remote/legacy-v1-entries.js';
import { fetchLiveEntries, v2SessionFor } from '../../remote/v2/session.js';
import { finish, pullBoth, sync } from '../../remote/v2/sync.js';
import { isSystemError } from '../../cli-error.js';
import { ensurePrivateDir, writeFileAtomic } from '../../vault/atomic-file.js';
import { saveSyncState } from '../../vault/sync-state-file.js';
import { saveKnownCopies } from '../../vault/v1-copies-file.js';
import { UUID_FILE, readUuidFile } from '../../vault/uuid-file.js';
import { loadVault } from '../../vault/vault-store.js';
import type { CliCommand } from '../command-module.js';

export const command = {
  description: 'move this account to a fresh UUID (new ID, Secret, keys and token), then erase the old one',
  examples: ['open2fa remote rotate'],
  run: (context) => runRotate(context),
} satisfies CliCommand;

/** The UUID being rotated to, chosen once, so that a run again after a failure goes to the same account. */
const NEW_FILE = 'open2fa.uuid.new';
/** The UUID rotated from, kept until its account is erased. */
const OLD_FILE = 'open2fa.uuid.old';

/**
 * `open2fa remote rotate`, in steps that each survive an interruption (a run again resumes):
 * 1. choose the new UUID (`open2fa.uuid.new`); 2. pull everything of the old account (v2 and v1);
 * 3. push every entry to the new account (v2) and read it back; 4. only then save the new UUID in
 * `open2fa.uuid`, the old one in `open2fa.uuid.old`; 5. erase the old account (v2 and v1) and drop
 * `open2fa.uuid.old`. Before step 4 the old UUID is the key; after it, the new one.
 */
async function runRotate(context: CommandContext): Promise<void> {
  const { apiUrl, vaultDir: dir, uuid: fromEnv } = context.settings('apiUrl', 'vaultDir', 'uuid');
  if (fromEnv !== null) {
    throw new CliError('usage', 'OPEN2FA_UUID is set: rotate keeps the new UUID in open2fa.uuid, so unset it first');
  }
  const current = await readUuidFile(dir);
  if (current === null) throw new CliError('no_uuid', 'no Open2FA UUID: run `open2fa remote init` first');
  const old = (await readUuid(dir, OLD_FILE)) ?? (await moveTo(context, apiUrl, dir, current));
  const credentials = await deriveV1Credentials(old);
  const session = await v2SessionFor(context, apiUrl, credentials, dir);
  const erased = await eraseAccount(context, { apiUrl, id: credentials.id, authToken: session.authToken });
  await context.lockVault(dir, async () => {
    await saveSyncState(dir, session.account, EMPTY_SYNC_STATE);
    await saveKnownCopies(dir, session.account, {});
    await unlink(join(dir, OLD_FILE)).catch(ignoreMissing);
  });
  context.out(
    `Rotated to a new UUID; the old account on ${printable(new URL(apiUrl).origin)} is erased ` +
      `(${String(erased.v2 ?? 0)} v2 item(s), ${String(erased.v1 ?? 0)} v1 entr(ies)). ` +
      'Pair your other devices again (`open2fa remote pair`): the old UUID opens nothing now.\n',
  );
}

/** Steps 1–4: returns the old UUID once every entry is on the new account and the new UUID is saved. */
async function moveTo(context: CommandContext, apiUrl: string, dir: string, current: string): Promise<string> {
  const target = (await readUuid(dir, NEW_FILE)) ?? (await choose(context, dir));
  const from = await v2SessionFor(context, apiUrl, await deriveV1Credentials(current), dir);
  const pulled = await pullBoth(context, from);
  warnFailures(context, pulled.failures);
  finish(pulled.result);
  if (pulled.failures.length > 0)
    throw new CliError('decrypt_failed', 'some v1 entries could not be read; nothing moved');
  const to = await v2SessionFor(context, apiUrl, await deriveV1Credentials(target), dir);
  finish(await sync(context, to, true));
  await verify(to, dir);
  await context.lockVault(dir, async () => {
    // The old UUID first: at every moment one of the files names each account that holds data.
    await writeFileAtomic(join(dir, OLD_FILE), current);
    await writeFileAtomic(join(dir, UUID_FILE), target);
    await unlink(join(dir, NEW_FILE)).catch(ignoreMissing);
  });
  return current;
}

async function choose(context: CommandContext, dir: string): Promise<string> {
  const uuid = crypto.randomUUID();
  await context.lockVault(dir, async () => {
    await ensurePrivateDir(dir);
    await writeFileAtomic(join(dir, NEW_FILE), uuid);
  });
  return uuid;
}

/** Reads the new account back: every local entry must be there, decrypted, with its name. */
async function verify(to: Parameters<typeof fetchLiveEntries>[0], dir: string): Promise<void> {
  const { entries, failures } = await fetchLiveEntries(to);
  const remote = new Set(entries.map(({ entry }) => `${entry.secret} ${entry.name ?? ''}`));
  const missing = (await loadVault(dir)).entries.filter((entry) => !remote.has(`${entry.secret} ${entry.name ?? ''}`));
  if (missing.length > 0 || failures.length > 0) {
    throw new CliError(
      'sync_incomplete',
      `the new account does not hold ${String(missing.length + failures.length)} entr(ies) yet; the old UUID ` +
        'is still the key: run `open2fa remote rotate` again',
    );
  }
}

async function readUuid(dir: string, name: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(join(dir, name), 'utf8');
  } catch (error) {
    if (isSystemError(error) && error.code === 'ENOENT') return null;
    throw new CliError('io_failed', `cannot read ${join(dir, name)}`, { cause: error });
  }
  const uuid = text.trim();
  if (!isUuid(uuid))
    throw new CliError('corrupt_file', `${join(dir, name)} does not hold a UUID; it was left untouched`);
  return uuid;
}

function ignoreMissing(error: unknown): void {
  if (!(isSystemError(error) && error.code === 'ENOENT')) throw error;
}
