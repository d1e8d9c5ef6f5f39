import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { packageVersion } from '../package-info.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { backupSqlite, openStore, type StoreOptions } from '../store/open-store.js';
import { buildApp } from './app.js';
import { openServerLogger } from './server-logger.js';
import { describeSettings, readSettings, type Settings } from './settings.js';

const USAGE = `Usage: open2fa-server [command]

Serves the open2fa sync API (/api/v1) and web UI. Secrets arrive encrypted by the
clients; the server never sees a plaintext secret, a UUID or an Open2FA Secret.

Commands:
  (none)        start serving
  migrate       apply pending database migrations and exit
  backup FILE   write a consistent copy of the SQLite database to FILE while the
                server keeps serving (for PostgreSQL use pg_dump)
  --help        this text
  --version     the version

Examples:
  PORT=8080 DATABASE_URL=sqlite:/var/lib/open2fa/open2fa.db open2fa-server
  DATABASE_URL=postgres://open2fa@db:5432/open2fa open2fa-server migrate
  open2fa-server backup /var/backups/open2fa-$(date +%F).db

Settings (environment variables):
`;

export interface ServerIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: ServerIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * The `open2fa-server` executable: reads argv and the environment, starts listening and returns the
 * exit status to use now, or `null` while the server keeps running.
 */
export async function main(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  io: ServerIo = processIo,
): Promise<number | null> {
  const [command] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    io.stdout(`${USAGE}${describeSettings()}\n`);
    return 0;
  }
  if (command === '--version' || command === '-V') {
    io.stdout(`${packageVersion()}\n`);
    return 0;
  }
  if (command !== undefined && !['migrate', 'backup'].includes(command)) {
    io.stderr(`open2fa-server: unknown command "${command}"; see open2fa-server --help\n`);
    return 2;
  }
  const result = readSettings(env);
  if (result.status === 'error') {
    io.stderr(`open2fa-server: invalid settings:\n${result.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return 2;
  }
  if (command === 'migrate') {
    const store = await openStore(storeOptions(result.settings));
    await store.close();
    io.stdout('open2fa-server: database is at the latest migration\n');
    return 0;
  }
  if (command === 'backup') {
    const destination = argv[1];
    if (destination === undefined || argv.length > 2) {
      io.stderr('open2fa-server: usage: open2fa-server backup FILE\n');
      return 2;
    }
    await backupSqlite(result.settings.databaseUrl, destination);
    io.stdout(`open2fa-server: backup written to ${destination}\n`);
    return 0;
  }
  const log = await openServerLogger(result.settings.logLevel, result.settings.logFormat);
  const app = await start(result.settings, log);
  stopOnSignals(app, log);
  return null;
}

function storeOptions(settings: Settings): StoreOptions {
  return {
    databaseUrl: settings.databaseUrl,
    poolSize: settings.pgPoolSize,
    statementTimeoutMs: settings.pgStatementTimeoutMs,
  };
}

async function start(settings: Settings, log: Logger): Promise<FastifyInstance> {
  const store = await openStore(storeOptions(settings));
  try {
    return await listen(settings, log, store);
  } catch (error) {
    // A failed start (the port taken, say) closes the database: its writer thread and pool would
    // otherwise keep the process from exiting with its error.
    await store.close().catch(() => undefined);
    throw error;
  }
}

async function listen(settings: Settings, log: Logger, store: KyselyStore): Promise<FastifyInstance> {
  const redis = settings.redisUrl === null ? undefined : await connectRedis(settings.redisUrl);
  try {
    const app = await buildApp({
      store,
      rateLimitMax: settings.rateLimitMax,
      rateLimitFailedLookups: settings.rateLimitFailedLookups,
      trustProxy: settings.trustProxy,
      ...(settings.metricsToken === null ? {} : { metricsToken: settings.metricsToken }),
      requestTimeoutMs: settings.requestTimeoutMs,
      keepAliveTimeoutMs: settings.keepAliveTimeoutMs,
      maxHeaderBytes: settings.maxHeaderBytes,
      hstsMaxAge: settings.hstsMaxAge,
      corsOrigins: settings.corsOrigins,
      ...(redis === undefined ? {} : { redis }),
      log,
    });
    app.addHook('onClose', async () => {
      await store.close();
      await redis?.quit().catch(() => undefined);
    });
    await app.listen({ port: settings.port, host: settings.host });
    return app;
  } catch (error) {
    await redis?.quit().catch(() => undefined);
    throw error;
  }
}

/**
 * A Redis client that fails fast: a rate-limit check must never hold a request while Redis is away
 * (the limiter lets requests through then), and it reconnects in the background.
 */
async function connectRedis(url: string): Promise<Redis> {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: true,
  });
  client.on('error', () => undefined); // reported through failed commands; avoid an unhandled 'error'
  await client.connect().catch(() => undefined);
  return client;
}

/** SIGTERM/SIGINT: stop accepting, let requests in flight finish, close the database, exit 0. */
function stopOnSignals(app: FastifyInstance, log: Logger): void {
  let closing = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, 10_000);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
