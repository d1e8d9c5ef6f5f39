// The page's weight, counted as test/web/web-routes.test.ts counts its budget: the build's manifest
// (dist/web/manifest.json) says which files are the first load, each is fetched from the running server
// and gzipped at zlib's default level (as servers compress), and the sum is held to 35 KiB. The lazy
// chunks are grouped by what loads them: each dynamic `import("./x.js")` in the built code is one group,
// costing the files of its static closure that the first load has not fetched yet. A WebAssembly file
// the code names (sql.js's) is a group of its own: it is fetched only when it is instantiated.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './processes.mjs';

/** The budget (test/web/web-routes.test.ts holds the build to the same figure). */
export const FIRST_LOAD_BUDGET_BYTES = 35 * 1024;

/** What the reader should recognise a lazy group by; other groups are named by their file. */
const GROUP_LABELS = {
  'qr-image': 'camera scan and QR images (jsQR)',
  'import-panel': 'Import panel (every format’s parser)',
  'session-panels': 'after unlock: export, backup and This device',
  'device-lock': 'PIN or passkey lock (KDF: PBKDF2 / WebAuthn PRF key wrapping)',
  'sql-wasm-browser': 'sql.js JavaScript (importing an app database)',
  'sql-wasm': 'sql.js WebAssembly (importing an app database)',
  'account-kit': 'new account: the recovery kit',
  'qr-code': 'QR encoder (qrcode-generator)',
  'api-client': 'unlock: v1 API client',
  'api-v2-client': 'unlock: v2 API client',
  open: 'unlock: opening v2 envelopes',
  cipher: 'first write: sealing v2 envelopes',
  argon2: 'Argon2 (encrypted Ente, Stratum, Bitwarden imports)',
  scrypt: 'scrypt (encrypted Aegis imports)',
  secretstream: 'secretstream (encrypted Ente imports)',
  aes: 'AES-ECB (encrypted Microsoft Authenticator backups)',
  browser: 'fflate (zip archives)',
  'aegis-vault-crypto': 'encrypted Aegis vaults',
  'bitwarden-crypto': 'encrypted Bitwarden exports',
};

/** @typedef {{ path: string, raw: number, gzip: number, text: string }} ServedFile */
/** @typedef {{ name: string, label: string, files: ServedFile[], gzip: number, raw: number }} LazyGroup */

const STATIC_IMPORT = /(?:from|import)\s*"(\.\/[\w.-]+\.js)"/g;
const DYNAMIC_IMPORT = /import\(\s*"(\.\/[\w.-]+\.js)"\s*\)/g;
const WASM_URL = /"(\/assets\/[\w.-]+\.wasm)"/g;

/**
 * @param {string} origin the running server
 * @returns {Promise<{ firstLoad: ServedFile[], firstLoadGzip: number, groups: LazyGroup[] }>}
 */
export async function measurePageWeight(origin) {
  const manifest = /** @type {{ initial: { url: string }[], lazy: { url: string }[] }} */ (
    JSON.parse(await readFile(join(ROOT, 'dist', 'web', 'manifest.json'), 'utf8'))
  );
  /** @type {Map<string, Promise<ServedFile>>} */
  const cache = new Map();
  const served = (/** @type {string} */ path) => {
    let file = cache.get(path);
    if (file === undefined) {
      file = fetchServed(origin, path);
      cache.set(path, file);
    }
    return file;
  };
  const firstLoad = await Promise.all(manifest.initial.map((file) => served(file.url)));
  const initialPaths = new Set(firstLoad.map((file) => file.path));

  /** The file and every file it imports statically, as server paths. */
  const closure = async (/** @type {string} */ path) => {
    const seen = new Set([path]);
    const queue = [path];
    while (queue.length > 0) {
      const file = await served(/** @type {string} */ (queue.pop()));
      for (const match of file.text.matchAll(STATIC_IMPORT)) {
        const next = new URL(match[1] ?? '', `${origin}${file.path}`).pathname;
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return [...seen];
  };

  /** @type {Set<string>} */
  const entries = new Set();
  for (const file of [...manifest.initial, ...manifest.lazy]) {
    if (!file.url.endsWith('.js')) continue;
    for (const match of (await served(file.url)).text.matchAll(DYNAMIC_IMPORT))
      entries.add(new URL(match[1] ?? '', `${origin}${file.url}`).pathname);
  }
  /** @type {Set<string>} */
  const wasm = new Set();
  for (const file of cache.values()) for (const match of (await file).text.matchAll(WASM_URL)) wasm.add(match[1] ?? '');
  /** @type {LazyGroup[]} */
  const groups = [];
  for (const entry of [...entries, ...wasm].sort()) {
    const paths = entry.endsWith('.wasm') ? [entry] : (await closure(entry)).filter((path) => !initialPaths.has(path));
    const files = await Promise.all(paths.map(served));
    const name = (entry.split('/').pop() ?? entry).replace(/-[A-Z0-9]{8}\.(?:js|wasm)$/, '');
    groups.push({
      name,
      label: /** @type {Record<string, string>} */ (GROUP_LABELS)[name] ?? name,
      files,
      raw: files.reduce((sum, file) => sum + file.raw, 0),
      gzip: files.reduce((sum, file) => sum + file.gzip, 0),
    });
  }
  return { firstLoad, firstLoadGzip: firstLoad.reduce((sum, file) => sum + file.gzip, 0), groups };
}

/**
 * @param {string} origin
 * @param {string} path
 * @returns {Promise<ServedFile>}
 */
async function fetchServed(origin, path) {
  const response = await fetch(`${origin}${path}`);
  if (!response.ok) throw new Error(`GET ${path} answered ${String(response.status)}`);
  const bytes = Buffer.from(await response.arrayBuffer());
  const text = path.endsWith('.js') ? bytes.toString('utf8') : '';
  return { path, raw: bytes.length, gzip: gzipSync(bytes).length, text };
}
