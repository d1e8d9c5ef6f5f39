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
      return new CliError(
        'remote_http',
        `${at} answered 404 Not Found${why(failure.detail)}${wrongPathHint(failure.url)}`,
      );
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

/**
 * A 404 that is not "unknown user" means the path is not an open2fa API: says what the configured
 * URL looks like and which one was probably meant (the server's base URL always works).
 */
export function wrongPathHint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '';
  }
  // The configured base is the request URL without the endpoint (`/totps`, `/items…`).
  const base = parsed.pathname.replace(/\/(totps|items)(\/.*)?$/, '').replace(/\/+$/, '');
  const looks = /\/api(\/v\d+)?$/.test(base)
    ? `an open2fa API path this server does not have (${printable(base)})`
    : `a path that is not an open2fa API (${printable(base === '' ? '/' : base)})`;
  return (
    `; OPEN2FA_API_URL looks like ${looks}: did you mean ${printable(parsed.origin)} ` +
    `(or ${printable(parsed.origin)}/api/v1)?`
  );
}
