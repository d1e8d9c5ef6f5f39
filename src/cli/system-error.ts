/**
 * Node's errors from the file system and the network carry a string `code` such as `EACCES`. Apart
 * from the error edge (`failure-report.ts`) so that storage can describe its failures without it.
 */
export function isSystemError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string';
}

/** A file failure in a few words: the system code (`EACCES`) when there is one, else the message. */
export function describeIoError(error: unknown): string {
  if (isSystemError(error)) return error.code;
  return error instanceof Error ? error.message : String(error);
}
