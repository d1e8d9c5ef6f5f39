import { join } from 'node:path';
import {
  describeSettingsTable,
  readSettingsTable,
  type Environment,
  type SettingsTable,
} from '../core/settings-table.js';
import { parseDatabaseUrl } from '../store/database-url.js';

/**
 * Every setting of open2fa-server, read from the environment and validated at boot. The same table
 * produces `open2fa-server --help`, so a setting cannot exist without being documented.
 */
export interface Settings {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  readonly pgPoolSize: number;
  readonly pgStatementTimeoutMs: number;
  readonly redisUrl: string | null;
  readonly rateLimitMax: number;
  readonly rateLimitFailedLookups: number;
  readonly trustProxy: TrustProxy;
  readonly metricsToken: string | null;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxHeaderBytes: number;
  readonly hstsMaxAge: number;
  readonly corsOrigins: readonly string[];
}

/** Fastify's `trustProxy`: off, a hop count, or addresses/CIDRs of the proxies (`true`, every hop, is refused). */
export type TrustProxy = boolean | number | readonly string[];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** `auto`: pretty lines when stdout is a terminal, JSON lines otherwise. */
export const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** A default that depends on the environment (the data directory); the row's `default` then describes it. */
interface DefaultFrom {
  readonly defaultFrom?: (env: Environment) => string;
}

/** Each row's parser reads the variable, or its default when the variable is unset or empty. */
export const SETTINGS: SettingsTable<Settings, [raw: string], DefaultFrom> = [
  {
    key: 'port',
    env: 'PORT',
    default: '8000',
    help: 'TCP port to listen on (0 picks a free one)',
    parse: (raw) => parseInteger(raw, 0, 65535),
  },
  {
    key: 'host',
    env: 'HOST',
    default: '127.0.0.1',
    help: 'address to listen on (0.0.0.0 for every interface)',
    parse: parseNonEmpty,
  },
  {
    key: 'databaseUrl',
    env: 'DATABASE_URL',
    default: 'sqlite:$STATE_DIRECTORY/open2fa.db under systemd, else sqlite:$XDG_DATA_HOME/open2fa/open2fa.db',
    defaultFrom: defaultDatabaseUrl,
    help: 'sqlite:PATH (directory created) or postgres://user@host:port/db; XDG_DATA_HOME defaults to ~/.local/share',
    parse: parseDatabaseUrlSetting,
  },
  { key: 'logLevel', env: 'LOG_LEVEL', default: 'info', help: LOG_LEVELS.join('|'), parse: parseLogLevel },
  {
    key: 'logFormat',
    env: 'LOG_FORMAT',
    default: 'auto',
    help: 'auto (pretty on a terminal, JSON lines otherwise), pretty or json',
    parse: parseLogFormat,
  },
  {
    key: 'pgPoolSize',
    env: 'PG_POOL_SIZE',
    default: '10',
    help: 'PostgreSQL connections per server process',
    parse: (raw) => parseInteger(raw, 1, 1000),
  },
  {
    key: 'pgStatementTimeoutMs',
    env: 'PG_STATEMENT_TIMEOUT_MS',
    default: '5000',
    help: 'PostgreSQL statements running longer are cancelled (milliseconds)',
    parse: (raw) => parseInteger(raw, 1, 3_600_000),
  },
  {
    key: 'redisUrl',
    env: 'REDIS_URL',
    default: '',
    help: 'redis://host:6379 shares rate-limit counters between instances; unset keeps them in memory',
    parse: parseRedisUrl,
  },
  {
    key: 'rateLimitMax',
    env: 'RATE_LIMIT_MAX',
    default: '300',
    help: 'requests per minute per client address (0 disables the ceiling)',
    parse: (raw) => parseInteger(raw, 0, 1_000_000),
  },
  {
    key: 'rateLimitFailedLookups',
    env: 'RATE_LIMIT_FAILED_LOOKUPS',
    default: '30',
    help: 'failed lookups (unknown ID, wrong token) per minute per client address before 429 (0 disables)',
    parse: (raw) => parseInteger(raw, 0, 1_000_000),
  },
  {
    key: 'trustProxy',
    env: 'TRUST_PROXY',
    default: 'false',
    help: 'whether X-Forwarded-For counts: false, a hop count, or proxy addresses/CIDRs (comma-separated)',
    parse: parseTrustProxy,
  },
  {
    key: 'metricsToken',
    env: 'METRICS_TOKEN',
    default: '',
    help: 'GET /metrics answers only with "Authorization: Bearer <token>"; unset: /metrics is 404',
    parse: (raw) => (raw.trim() === '' ? null : raw.trim()),
  },
  {
    key: 'requestTimeoutMs',
    env: 'REQUEST_TIMEOUT_MS',
    default: '30000',
    help: 'a request not received in full by then gets 408 (milliseconds)',
    parse: (raw) => parseInteger(raw, 1000, 600_000),
  },
  {
    key: 'keepAliveTimeoutMs',
    env: 'KEEP_ALIVE_TIMEOUT_MS',
    default: '5000',
    help: 'idle keep-alive connections are closed after this (milliseconds)',
    parse: (raw) => parseInteger(raw, 100, 600_000),
  },
  {
    key: 'maxHeaderBytes',
    env: 'MAX_HEADER_BYTES',
    default: '16384',
    help: 'larger request headers get 431',
    parse: (raw) => parseInteger(raw, 1024, 1_048_576),
  },
  {
    key: 'hstsMaxAge',
    env: 'HSTS_MAX_AGE',
    default: '0',
    help: 'seconds of Strict-Transport-Security to send when served over TLS (0: not sent)',
    parse: (raw) => parseInteger(raw, 0, 63_072_000),
  },
  {
    key: 'corsOrigins',
    env: 'CORS_ORIGINS',
    default: '',
    help: 'comma-separated origins allowed to call the API from other sites (CORS is off when unset)',
    parse: parseOrigins,
  },
];

export type SettingsResult =
  | { readonly status: 'ok'; readonly settings: Settings }
  | { readonly status: 'error'; readonly problems: readonly string[] };

/** Reads every setting; an empty variable counts as unset. Collects all problems, not just the first. */
export function readSettings(env: Environment): SettingsResult {
  const reading = readSettingsTable(SETTINGS, (row): [raw: string] => {
    const raw = env[row.env];
    return [raw !== undefined && raw !== '' ? raw : (row.defaultFrom?.(env) ?? row.default)];
  });
  const problems = SETTINGS.flatMap((row) => {
    const problem = reading.problems.get(row.key);
    return problem === undefined ? [] : [`${row.env}: ${problem}`];
  });
  if (problems.length > 0) return { status: 'error', problems };
  return { status: 'ok', settings: reading.values as Settings };
}

/** The settings table for `--help`. */
export function describeSettings(): string {
  return describeSettingsTable(SETTINGS, (text) => (text === '' ? 'unset' : text)).join('\n');
}

function parseInteger(raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) throw new RangeError(`expected a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new RangeError(`expected ${String(min)} to ${String(max)}, got ${raw}`);
  return value;
}

function parseNonEmpty(raw: string): string {
  const value = raw.trim();
  if (value.length === 0) throw new RangeError('must not be empty');
  return value;
}

function parseLogLevel(raw: string): LogLevel {
  const level = LOG_LEVELS.find((candidate) => candidate === raw.trim().toLowerCase());
  if (level === undefined) throw new RangeError(`expected one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return level;
}

function parseLogFormat(raw: string): LogFormat {
  const format = LOG_FORMATS.find((candidate) => candidate === raw.trim().toLowerCase());
  if (format === undefined) throw new RangeError(`expected one of ${LOG_FORMATS.join(', ')}, got "${raw}"`);
  return format;
}

/**
 * Where the SQLite database goes when DATABASE_URL is unset, never relative to the working directory:
 * systemd's `StateDirectory=` (it sets `$STATE_DIRECTORY`, /var/lib/open2fa for our unit), else the
 * XDG data directory (`$XDG_DATA_HOME`, which the XDG Base Directory spec says to ignore unless it is
 * absolute, else `~/.local/share`).
 */
export function defaultDatabaseUrl(env: Environment): string {
  // systemd lists several directories separated by colons when the unit names several.
  const stateDirectory = nonEmpty(env.STATE_DIRECTORY?.split(':')[0]);
  if (stateDirectory !== undefined) return `sqlite:${join(stateDirectory, 'open2fa.db')}`;
  const xdg = nonEmpty(env.XDG_DATA_HOME);
  const home = nonEmpty(env.HOME);
  const dataHome = xdg?.startsWith('/') === true ? xdg : home === undefined ? undefined : join(home, '.local', 'share');
  if (dataHome === undefined) throw new RangeError('no data directory: set DATABASE_URL, XDG_DATA_HOME or HOME');
  return `sqlite:${join(dataHome, 'open2fa', 'open2fa.db')}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

function parseOrigins(raw: string): readonly string[] {
  const origins = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  for (const origin of origins) {
    if (!/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(origin)) {
      throw new RangeError(`"${origin}" is not an origin like https://example.org`);
    }
  }
  return origins;
}

function parseRedisUrl(raw: string): string | null {
  const value = raw.trim();
  if (value === '') return null;
  if (!/^rediss?:\/\//.test(value)) throw new RangeError('expected redis://host:port or rediss://…');
  return value;
}

function parseTrustProxy(raw: string): TrustProxy {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === '0' || value === 'off') return false;
  if (value === 'true' || value === 'on') {
    // Trusting every hop lets any client name its own address in X-Forwarded-For, and so choose its
    // rate-limit and failed-lookup counters: one budget per request.
    throw new RangeError(
      'true would trust every hop, so any client could pick its address (and its rate limits) with ' +
        'X-Forwarded-For; give the number of proxies in front (e.g. 1) or their addresses (e.g. 127.0.0.1)',
    );
  }
  if (/^\d+$/.test(value)) return Number(value);
  const addresses = value.split(',').map((part) => part.trim());
  if (addresses.some((address) => !/^[0-9a-f.:]+(\/\d{1,3})?$/.test(address))) {
    throw new RangeError('expected false, true, a hop count or comma-separated addresses/CIDRs');
  }
  return addresses;
}

function parseDatabaseUrlSetting(raw: string): string {
  const value = raw.trim();
  parseDatabaseUrl(value);
  return value;
}
