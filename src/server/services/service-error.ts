import { CodedError } from '../../core/errors.js';

/** Every expected failure of a service, translated to HTTP only by the error handler. */
export type ServiceErrorCode =
  | 'missing_user_hash'
  | 'unknown_user'
  | 'quota_exceeded'
  | 'unauthorized'
  | 'precondition_required'
  | 'invalid_precondition'
  | 'conflict'
  | 'not_found';

export class ServiceError extends CodedError<ServiceErrorCode> {
  override readonly name = 'ServiceError';
  /** Extra fields of the error answer, e.g. the current item of a 409. */
  readonly extra: Readonly<Record<string, unknown>>;

  constructor(code: ServiceErrorCode, message: string, extra: Readonly<Record<string, unknown>> = {}) {
    super(code, message);
    this.extra = extra;
  }
}
