import { Open2faError } from '../core/errors.js';
import { CliError } from './cli-error.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { isSystemError } from './cli-error.js';

/** What the person sees when a command fails: one line (or none) and an exit status. */
export interface FailureReport {
  /** `null` when the message was already printed (commander prints its own usage errors). */
  readonly message: string | null;
  readonly exitCode: ExitCode;
}

/**
 * The one place where errors become words and exit statuses. Never includes a stack trace: an
 * unexpected error is reported by its message only, since a trace helps nobody at a terminal.
 */
export function reportFailure(error: unknown): FailureReport {
  if (error instanceof CliError) return { message: oneLine(error.message), exitCode: error.exitCode };
  if (isCommanderError(error)) {
    // Commander already wrote "error: …" (or the help text); only the status is left to decide.
    return { message: null, exitCode: error.exitCode === 0 ? EXIT.ok : EXIT.usage };
  }
  if (error instanceof Open2faError) {
    const usage = error.code === 'invalid_base32' || error.code === 'invalid_uuid';
    return { message: oneLine(error.message), exitCode: usage ? EXIT.usage : EXIT.failure };
  }
  if (isSystemError(error)) {
    return { message: oneLine(`${error.message} (${error.code})`), exitCode: EXIT.failure };
  }
  const text = error instanceof Error ? error.message : String(error);
  return { message: oneLine(`unexpected error: ${text}`), exitCode: EXIT.failure };
}

/**
 * Commander's own errors (usage, help, version), known by their `commander.…` code and exit status
 * rather than by class, so that the fast path (`fastCommand` in run-cli.ts) reports failures without loading
 * commander.
 */
function isCommanderError(error: unknown): error is Error & { readonly exitCode: number } {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('commander.') &&
    'exitCode' in error &&
    typeof error.exitCode === 'number'
  );
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
