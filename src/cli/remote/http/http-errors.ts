import type { HttpFailure, HttpResult } from '../../../core/http/exchange.js';
import { CliError } from '../../cli-error.js';
import { printable } from '../../output/text-format.js';

/** The value of a core result, or the failure as the CLI reports it. */
export function unwrap<T>(result: HttpResult<T>): T {
  if (result.ok) return result.value;
  throw httpError(result.failure);
}

/**
 * A failure in the CLI's words. Everything the server said (its `detail`) is untrusted: it is shown
 * through `printable`, so no escape sequence reaches the terminal.
 */
export function httpError(failure: HttpFailure): CliError {
  const at = `the open2fa server at ${printable(failure.url)}`;
  switch (failure.kind) {
    case 'unreachable':
      return new CliError(
        'remote_unreachable',
        `cannot reach ${at} (${printable(failure.reason)}); check OPEN2FA_API_URL`,
      );
    case 'timeout':
      return new CliError('remote_unreachable', `${at} did not answer within ${String(failure.seconds)} s`);
    case 'malformed':
      return new CliError('remote_invalid_response', `${at} sent an unexpected answer (${failure.why})`);
    case 'unauthorized':
      return new CliError(
        'remote_unauthorized',
        `${at} answered 401 Unauthorized${why(failure.detail)}; it refused the auth token derived from ` +
          'the Open2FA Secret',
      );
    case 'not_found':
      return new CliError('remote_http', `${at} answered 404 Not Found${why(failure.detail)}`);
    case 'rate_limited':
      return new CliError('remote_http', `${at} answered 429 Too Many Requests${why(failure.detail)}`);
    case 'server':
    case 'rejected':
      return new CliError(
        'remote_http',
        `${at} answered ${`${String(failure.status)} ${printable(failure.statusText)}`.trim()}${why(failure.detail)}`,
      );
  }
}

function why(detail: string | null): string {
  return detail === null ? '' : `: ${printable(detail)}`;
}
