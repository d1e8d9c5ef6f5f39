import { openV1List as openList } from '../../core/v1/open.js';
import type { V1StoredTotp } from '../../core/v1/wire.js';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { displayName } from '../output/text-format.js';

// Reading a v1 list is needed by both protocols: v1 itself, and v2 for the v1 entries it still pulls,
// counts and migrates. The rule is core/v1's (`openV1List`, shared with the page); this file turns it
// into the CLI's shape, once, so neither protocol folder borrows it from the other.

/** A remote v1 entry after decryption, with the stored form it came from (migrate deletes by it). */
export interface OpenedV1Entry {
  readonly name: string | null;
  readonly secret: string;
  readonly totp: V1StoredTotp;
}

/** Remote entries after decryption, and the names of those that could not be decrypted. */
export interface OpenedV1List {
  readonly secrets: OpenedV1Entry[];
  readonly failures: string[];
}

/**
 * Decrypts remote entries. One that does not decrypt (or decrypts to something that is not a TOTP
 * secret, the sign of a wrong key) is reported by name instead of failing the whole command.
 */
export async function openV1List(key: Uint8Array<ArrayBuffer>, totps: readonly V1StoredTotp[]): Promise<OpenedV1List> {
  const { opened, failed } = await openList(key, totps);
  return {
    secrets: opened.map(({ totp, secret }) => ({ name: totp.name, secret, totp })),
    failures: failed.map((totp) => displayName(totp.name)),
  };
}

/** Warns about each undecryptable entry; the command goes on and fails (exit 1) at the end. */
export function warnFailures(context: Pick<CommandContext, 'err'>, failures: readonly string[]): void {
  for (const name of failures) {
    context.err(`warning: cannot decrypt the remote entry ${name} (was it pushed with another UUID?)\n`);
  }
}

/** The failure a command ends with after `warnFailures`. */
export function decryptFailure(failures: readonly string[]): CliError {
  const count = failures.length;
  return new CliError(
    'decrypt_failed',
    `${String(count)} remote ${count === 1 ? 'entry' : 'entries'} could not be decrypted`,
  );
}
