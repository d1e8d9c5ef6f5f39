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

export class Open2faError extends Error {
  override readonly name = 'Open2faError';
  readonly code: Open2faErrorCode;

  constructor(code: Open2faErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Narrowing helper for `catch (error: unknown)` blocks. */
export function isOpen2faError(error: unknown, code?: Open2faErrorCode): error is Open2faError {
  return error instanceof Open2faError && (code === undefined || error.code === code);
}
