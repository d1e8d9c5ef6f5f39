/** Every expected failure of a service, translated to HTTP only by the error handler. */
export type ServiceErrorCode = 'missing_user_hash' | 'unknown_user' | 'quota_exceeded';

export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  readonly code: ServiceErrorCode;

  constructor(code: ServiceErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
