/**
 * The expected failures of the core, as one error class with a machine-readable `code`.
 * Edges (the HTTP error handler, the CLI's exit-code mapper, the web UI's message view) translate
 * codes into words; nothing in between inspects messages.
 */
export type Open2faErrorCode =
  | 'invalid_base32'
  | 'invalid_base58'
  | 'invalid_uuid'
  | 'invalid_key'
  | 'invalid_ciphertext'
  | 'decrypt_failed'
  | 'invalid_envelope'
  | 'integrity_failed';

/**
 * The shape of every domain failure of open2fa: one class per layer (this core's `Open2faError`, the
 * CLI's `CliError`, the server's `ServiceError`), each with a `code` from its own string union.
 */
export class CodedError<Code extends string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

export class Open2faError extends CodedError<Open2faErrorCode> {
  override readonly name = 'Open2faError';
}

/** Narrowing helper for `catch (error: unknown)` blocks. */
export function isOpen2faError(error: unknown, code?: Open2faErrorCode): error is Open2faError {
  return error instanceof Open2faError && (code === undefined || error.code === code);
}
