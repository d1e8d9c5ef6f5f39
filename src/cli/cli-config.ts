import { isAbsolute, join, resolve } from 'node:path';
import { CliError } from './cli-error.js';

/** Where the Python client's default server API lived for local deployments. */
export const DEFAULT_API_URL = 'http://127.0.0.1:8000/api/v1';

export const PROTOCOLS = ['v1', 'v2'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The vault directory: `OPEN2FA_DIR`, else `~/.open2fa` with HOME from the given environment (not
 * `os.homedir()`, so tests and wrappers fully control it).
 */
export function resolveVaultDir(env: Env, cwd: string): string {
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE);
  const configured = nonEmpty(env.OPEN2FA_DIR);
  if (configured !== undefined) {
    const expanded = home !== undefined && configured.startsWith('~/') ? join(home, configured.slice(2)) : configured;
    return isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
  }
  if (home === undefined) {
    throw new CliError('invalid_env', 'cannot find the open2fa directory: set OPEN2FA_DIR or HOME');
  }
  return join(home, '.open2fa');
}

/** The v1 API base URL without trailing slashes (the Python client produced `//totps` with one). */
export function resolveApiUrl(env: Env): string {
  const configured = nonEmpty(env.OPEN2FA_API_URL)?.replace(/\/+$/, '') ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new CliError('invalid_env', `OPEN2FA_API_URL is not a URL: ${configured}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError('invalid_env', `OPEN2FA_API_URL must be an http(s) URL, got ${configured}`);
  }
  return configured;
}

/**
 * The remote protocol. v1 is the default until protocol v2 lands; then v2 becomes the default and
 * `OPEN2FA_PROTOCOL=v1` keeps the legacy wire format.
 */
export function resolveProtocol(env: Env): Protocol {
  const configured = nonEmpty(env.OPEN2FA_PROTOCOL)?.toLowerCase() ?? 'v2';
  const protocol = PROTOCOLS.find((known) => known === configured);
  if (protocol === undefined) {
    throw new CliError('invalid_env', `OPEN2FA_PROTOCOL must be one of ${PROTOCOLS.join(', ')}, got ${configured}`);
  }
  return protocol;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
