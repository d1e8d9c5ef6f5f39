import { CodedError } from '../core/errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/**
 * Every expected CLI failure, with the exit status it maps to. `satisfies` keeps the table complete:
 * adding a code without deciding its status does not compile.
 */
const EXIT_CODES = {
  usage: EXIT.usage,
  invalid_secret: EXIT.usage,
  invalid_name: EXIT.usage,
  invalid_env: EXIT.usage,
  not_found: EXIT.usage,
  ambiguous: EXIT.usage,
  confirmation_required: EXIT.usage,
  invalid_import: EXIT.usage,
  wrong_passphrase: EXIT.usage,
  no_uuid: EXIT.failure,
  corrupt_file: EXIT.failure,
  io_failed: EXIT.failure,
  cancelled: EXIT.failure,
  remote_unreachable: EXIT.failure,
  remote_http: EXIT.failure,
  remote_invalid_response: EXIT.failure,
  decrypt_failed: EXIT.failure,
  remote_unauthorized: EXIT.failure,
  integrity_failed: EXIT.failure,
  account_erased: EXIT.failure,
  sync_incomplete: EXIT.failure,
  vault_busy: EXIT.failure,
} as const satisfies Record<string, ExitCode>;

export type CliErrorCode = keyof typeof EXIT_CODES;

/** An expected failure of a CLI command; its message is shown to the person as one line. */
export class CliError extends CodedError<CliErrorCode> {
  override readonly name = 'CliError';

  /** The exit status this failure ends the process with. */
  get exitCode(): ExitCode {
    return EXIT_CODES[this.code];
  }
}

/**
 * Node's errors from the file system and the network carry a string `code` such as `EACCES`. Here, apart
 * from the error edge (`failure-report.ts`), so that storage can describe its failures without it.
 */
export function isSystemError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/** A file failure in a few words: the system code (`EACCES`) when there is one, else the message. */
export function describeIoError(error: unknown): string {
  if (isSystemError(error)) return error.code;
  return error instanceof Error ? error.message : String(error);
}
