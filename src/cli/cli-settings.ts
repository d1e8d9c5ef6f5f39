import { isAbsolute, join, resolve } from 'node:path';
import {
  describeSettingsTable,
  readSettingsTable,
  type Environment as Env,
  type SettingsReading as CoreSettingsReading,
  type SettingsTable,
} from '../core/settings-table.js';
import { isUuid } from '../core/uuid.js';
import { CliError } from './cli-error.js';

/**
 * Every environment variable the CLI reads, in one table (core/settings-table.ts, as the server's): the
 * variable, its default, its help (printed by `open2fa --help`) and its parser. Nothing else in the
 * CLI reads `process.env`; commands ask the context for the settings they use.
 */
export interface CliSettings {
  /** The vault directory: `OPEN2FA_DIR`, else `~/.open2fa`. */
  readonly vaultDir: string;
  /** The v1 API base URL, without trailing slashes. */
  readonly apiUrl: string;
  readonly protocol: Protocol;
  /** `OPEN2FA_UUID`, which wins over the `open2fa.uuid` file; `null` when unset. */
  readonly uuid: string | null;
  /** `OPEN2FA_PASSPHRASE` exactly as set (an empty one is refused later, by name); `null` when unset. */
  readonly passphrase: string | null;
}

/** Where the Python client's default server API lived for local deployments. */
export const DEFAULT_API_URL = 'http://127.0.0.1:8000/api/v1';

export const PROTOCOLS = ['v1', 'v2'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** What each row's parser reads: the raw variable (`undefined` when unset), the environment and the working directory. */
type ParseArgs = [raw: string | undefined, env: Env, cwd: string];

export const CLI_SETTINGS: SettingsTable<CliSettings, ParseArgs> = [
  {
    key: 'vaultDir',
    env: 'OPEN2FA_DIR',
    default: '~/.open2fa',
    help: 'the directory of secrets.json and open2fa.uuid',
    parse: parseVaultDir,
  },
  {
    key: 'apiUrl',
    env: 'OPEN2FA_API_URL',
    default: DEFAULT_API_URL,
    help: 'the server API (its v1 base; v2 is found beside it)',
    parse: parseApiUrl,
  },
  {
    key: 'protocol',
    env: 'OPEN2FA_PROTOCOL',
    default: 'v2',
    help: 'the remote protocol: v2, or v1 for the format that open2fa 1.x clients read',
    parse: parseProtocol,
  },
  {
    key: 'uuid',
    env: 'OPEN2FA_UUID',
    default: 'the open2fa.uuid file',
    help: 'your UUID (identifies you and encrypts your secrets)',
    parse: parseUuid,
  },
  {
    key: 'passphrase',
    env: 'OPEN2FA_PASSPHRASE',
    default: 'asked',
    help: 'the passphrase of encrypted backups (import, export --encrypted)',
    parse: (raw) => raw ?? null,
  },
];

export type SettingsReading = CoreSettingsReading<CliSettings>;

/** Reads every setting and collects every problem; nothing throws here. */
export function readCliSettings(env: Env, cwd: string): SettingsReading {
  return readSettingsTable(CLI_SETTINGS, (row): ParseArgs => [env[row.env], env, cwd]);
}

/**
 * The settings a command uses. A problem in any of them fails the command with all their problems
 * at once (exit 2); a problem in a setting it does not use (a bad `OPEN2FA_UUID` for `list`) does not.
 */
export function pickSettings<K extends keyof CliSettings>(
  reading: SettingsReading,
  keys: readonly K[],
): Pick<CliSettings, K> {
  // In the table's order, whatever the order of `keys`.
  const wanted = new Set<keyof CliSettings>(keys);
  const problems = CLI_SETTINGS.flatMap((spec) => (wanted.has(spec.key) ? (reading.problems.get(spec.key) ?? []) : []));
  if (problems.length > 0) throw new CliError('invalid_env', problems.join('; '));
  return Object.fromEntries(keys.map((key) => [key, reading.values[key]])) as Pick<CliSettings, K>;
}

/** The "Environment:" block of `open2fa --help`. */
export function describeCliSettings(): string {
  return `\nEnvironment:\n${describeSettingsTable(CLI_SETTINGS).join('\n')}\n`;
}

/**
 * `OPEN2FA_DIR`, else `~/.open2fa` with HOME from the given environment (not `os.homedir()`, so
 * tests and wrappers fully control it); a relative directory is resolved against `cwd`.
 */
function parseVaultDir(raw: string | undefined, env: Env, cwd: string): string {
  const home = nonEmpty(env.HOME) ?? nonEmpty(env.USERPROFILE);
  const configured = nonEmpty(raw);
  if (configured !== undefined) {
    const expanded = home !== undefined && configured.startsWith('~/') ? join(home, configured.slice(2)) : configured;
    return isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
  }
  if (home === undefined) throw new RangeError('cannot find the open2fa directory: set OPEN2FA_DIR or HOME');
  return join(home, '.open2fa');
}

/** The v1 API base URL without trailing slashes (the Python client produced `//totps` with one). */
function parseApiUrl(raw: string | undefined): string {
  const configured = nonEmpty(raw)?.replace(/\/+$/, '') ?? DEFAULT_API_URL;
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    throw new RangeError(`OPEN2FA_API_URL is not a URL: ${configured}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RangeError(`OPEN2FA_API_URL must be an http(s) URL, got ${configured}`);
  }
  return configured;
}

/** v2 (docs/protocol.md) is the default; `OPEN2FA_PROTOCOL=v1` keeps the legacy wire format. */
function parseProtocol(raw: string | undefined): Protocol {
  const configured = nonEmpty(raw)?.toLowerCase() ?? 'v2';
  const protocol = PROTOCOLS.find((known) => known === configured);
  if (protocol === undefined) {
    throw new RangeError(`OPEN2FA_PROTOCOL must be one of ${PROTOCOLS.join(', ')}, got ${configured}`);
  }
  return protocol;
}

/** Any form Python's `uuid.UUID()` reads is accepted (hyphens optional, braces, `urn:uuid:`). */
function parseUuid(raw: string | undefined): string | null {
  const uuid = nonEmpty(raw);
  if (uuid === undefined) return null;
  if (!isUuid(uuid)) throw new RangeError('OPEN2FA_UUID is not a UUID');
  return uuid;
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
