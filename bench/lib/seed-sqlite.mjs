// Bulk seeding of a SQLite database for the scale figure: the server creates the schema (migrations),
// then rows are written straight into the file with better-sqlite3, far faster than over HTTP.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { startServer } from './processes.mjs';

export const ENTRIES_PER_USER = 5;
const ROWS_PER_TRANSACTION = 50_000;
const BASE58_CODES = Buffer.from('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', 'latin1');
/** Base58 characters of a real v1 ciphertext of a 16-character secret. */
const SECRET_LENGTH = 44;

/**
 * The X-User-Hash of seeded user number `index` (1-based). Valid per the v1 pattern.
 * @param {number} index
 */
export function seededUserHash(index) {
  return `bench-user-${String(index)}`;
}

/**
 * Makes sure `path` holds `users` users with ENTRIES_PER_USER entries each, reusing the file when its
 * row counts already match (reruns are fast), reseeding otherwise.
 * @param {string} path
 * @param {number} users
 * @param {(line: string) => void} progress
 * @returns {Promise<{ reused: boolean, seconds: number, bytes: number }>}
 */
export async function ensureSeeded(path, users, progress) {
  const started = Date.now();
  if (existsSync(path) && countsMatch(path, users)) {
    return { reused: true, seconds: 0, bytes: fileBytes(path) };
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
  mkdirSync(dirname(path), { recursive: true });

  progress(`  creating the schema in ${path} (server start, migrations)`);
  const server = await startServer({ DATABASE_URL: `sqlite:${path}` });
  await server.stop();

  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144'); // 256 MiB
  db.pragma('temp_store = MEMORY');
  const insertUser = db.prepare('INSERT INTO users (id, id_hash, created_at) VALUES (?, ?, ?)');
  const insertEntry = db.prepare(
    'INSERT INTO v1_totps (user_id, enc_secret, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
  );
  // The list body the server keeps beside the rows (src/store/v1-list-document.ts), same bytes.
  const insertList = db.prepare('INSERT INTO v1_lists (user_id, body) VALUES (?, ?)');
  const now = Date.now();
  const usersPerTransaction = Math.max(1, Math.floor(ROWS_PER_TRANSACTION / (ENTRIES_PER_USER + 1)));
  const insertBatch = db.transaction((/** @type {number} */ first, /** @type {number} */ last) => {
    const random = randomBytes((last - first + 1) * ENTRIES_PER_USER * SECRET_LENGTH);
    for (let index = 0; index < random.length; index++) random[index] = BASE58_CODES[(random[index] ?? 0) % 58] ?? 49;
    let offset = 0;
    for (let user = first; user <= last; user++) {
      insertUser.run(user, createHash('sha256').update(seededUserHash(user), 'utf8').digest(), now);
      const list = [];
      for (let entry = 1; entry <= ENTRIES_PER_USER; entry++) {
        const encSecret = random.toString('latin1', offset, offset + SECRET_LENGTH);
        offset += SECRET_LENGTH;
        const name = `Service ${String(entry)}`;
        insertEntry.run(user, encSecret, name, now, now);
        list.push({ enc_secret: encSecret, name });
      }
      insertList.run(user, Buffer.from(JSON.stringify({ totps: list }), 'utf8'));
    }
  });
  let lastReport = 0;
  for (let first = 1; first <= users; first += usersPerTransaction) {
    const last = Math.min(users, first + usersPerTransaction - 1);
    insertBatch(first, last);
    if (Date.now() - lastReport > 5000 || last === users) {
      lastReport = Date.now();
      const rate = (last * (ENTRIES_PER_USER + 1)) / ((Date.now() - started) / 1000);
      progress(
        `  seeded ${last.toLocaleString('en')} / ${users.toLocaleString('en')} users (${Math.round(rate).toLocaleString('en')} rows/s)`,
      );
    }
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { reused: false, seconds: (Date.now() - started) / 1000, bytes: fileBytes(path) };
}

/**
 * @param {string} path
 * @param {number} users
 */
function countsMatch(path, users) {
  try {
    const db = new Database(path, { readonly: true });
    try {
      const count = (/** @type {string} */ table) =>
        /** @type {{ n: number }} */ (db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).n;
      return count('users') === users && count('v1_totps') === users * ENTRIES_PER_USER && count('v1_lists') === users;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

/** @param {string} path */
function fileBytes(path) {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += statSync(`${path}${suffix}`).size;
    } catch {
      // no such file
    }
  }
  return total;
}
