// Experiment: cache better-sqlite3 prepared statements by SQL text. Kysely's SqliteConnection calls
// db.prepare(sql) for every query (sqlite-driver.js executeQuery), re-parsing and re-planning it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
/** @type {typeof import('better-sqlite3')} */
const Database = require('better-sqlite3');

const prepare = Database.prototype.prepare;
/** @type {WeakMap<object, Map<string, unknown>>} */
const caches = new WeakMap();
/** @param {string} sql */
Database.prototype.prepare = function cachedPrepare(sql) {
  let cache = caches.get(this);
  if (cache === undefined) {
    cache = new Map();
    caches.set(this, cache);
  }
  let statement = cache.get(sql);
  if (statement === undefined) {
    statement = prepare.call(this, sql);
    cache.set(sql, statement);
  }
  return statement;
};
