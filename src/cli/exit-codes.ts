/**
 * The three exit statuses of the `open2fa` CLI, documented in docs/cli.md. Scripts rely on them, so
 * they never change meaning.
 */
export const EXIT = {
  /** Success, including "nothing to do" outcomes such as adding a secret that is already stored. */
  ok: 0,
  /** A runtime or remote failure: unreadable files, an unreachable or failing server. */
  failure: 1,
  /** A usage error or invalid input: unknown options, an invalid secret, an unknown name. */
  usage: 2,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
