import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { toPythonJson } from '../../src/cli/vault/python-json.js';
import { decryptV1, deriveV1Credentials, encryptV1 } from '../../src/core/index.js';

// The open2fa 1.x Python client (cc-d/open2fa: open2fa/main.py, common.py, totp.py, cli_utils.py),
// its observable behaviour rewritten here from reading it, for tests (python3 here lacks its
// dependencies, base58, logfunc and pyshared, and nothing may be downloaded). What it does, and this
// helper does the same:
// - every command first builds `TOTPSecret(s['secret'], s['name'])` for each entry of secrets.json,
//   which computes a code at once: `base64.b32decode(secret, casefold=True)`. A missing `name` is a
//   KeyError; a length not a multiple of 8 or bad padding is `binascii.Error: Incorrect padding`, a
//   space or another character `Non-base32 digit found`. Any of them ends the command with a traceback.
// - other keys of an entry are ignored; every write (add, delete, pull) writes `json.dumps({'secrets':
//   [{'secret', 'name'}…]})`, so they, and every top-level key but `secrets`, are dropped.
// - codes are always 6-digit HMAC-SHA1 TOTP with a 30 s step.
// - `remote push` POSTs every local secret to `{api}/totps` (`X-User-Hash`) and decrypts each entry
//   of the answer into a `TOTPSecret` (so an undecodable remote secret is a traceback too);
//   `remote pull` GETs them and adds those whose (secret, name) pair is not stored, exactly compared.
// - `delete` (`remove_secret`) drops every local entry whose name or secret equals the argument
//   (exact `str` compare) and writes; `remote delete` (`remote_delete`) takes the first local entry
//   (in list order) with that secret or that name (none: `DelNoNameSecFound`), DELETEs `{api}/totps`
//   with its one ciphertext and answers the server's `deleted`; the local entry stays. 1.x has no
//   rename: a user deletes the entry and adds it again under the new name.

/** What a Python traceback would have ended with, e.g. `binascii.Error: Incorrect padding`. */
export class PythonTraceback extends Error {
  override readonly name = 'PythonTraceback';
}

const B32_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Python's `base64.b32decode(text, casefold=True)` (CPython `_b32decode`), errors included. */
export function pythonB32decode(text: string): Uint8Array {
  if (text.length % 8 !== 0) throw new PythonTraceback('binascii.Error: Incorrect padding');
  const upper = text.toUpperCase();
  const stripped = upper.replace(/=+$/, '');
  const padchars = upper.length - stripped.length;
  let bits = 0;
  let value = 0;
  const out: number[] = [];
  for (const char of stripped) {
    const index = B32_ALPHABET.indexOf(char);
    if (index < 0) throw new PythonTraceback('binascii.Error: Non-base32 digit found');
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  if (![0, 1, 3, 4, 6].includes(padchars)) throw new PythonTraceback('binascii.Error: Incorrect padding');
  return Uint8Array.from(out);
}

/** 1.x's `generate_totp_2fa_code`: HMAC-SHA1, 6 digits, 30 s. */
export function pythonTotp(secret: string, timestampMs: number): string {
  const key = pythonB32decode(secret);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(Math.floor(timestampMs / 1000 / 30)));
  const digest = createHmac('sha1', key).update(message).digest();
  const offset = (digest[19] ?? 0) & 15;
  const code = digest.readUInt32BE(offset) & 0x7fffffff;
  return String(code % 10 ** 6).padStart(6, '0');
}

export interface PySecret {
  readonly secret: string;
  readonly name: string | null;
}

/** One run of the 1.x client on a directory: `new Open2fa1x(...)` is its `Open2FA(...)` constructor. */
export class Open2fa1x {
  readonly #path: string;
  readonly #apiUrl: string;
  readonly #uuid: string | null;
  secrets: PySecret[] = [];

  private constructor(dir: string, apiUrl: string, uuid: string | null) {
    this.#path = join(dir, 'secrets.json');
    this.#apiUrl = apiUrl;
    this.#uuid = uuid;
  }

  /** Reads secrets.json (creating `{"secrets": []}`) and computes every code, as 1.x starts. */
  static async open(dir: string, apiUrl: string, uuid: string | null, now = Date.now()): Promise<Open2fa1x> {
    const client = new Open2fa1x(dir, apiUrl, uuid);
    if (!existsSync(client.#path)) await writeFile(client.#path, JSON.stringify({ secrets: [] }));
    const parsed = JSON.parse(await readFile(client.#path, 'utf8')) as { secrets: Record<string, unknown>[] };
    client.secrets = parsed.secrets.map((item) => totpSecret(item, now));
    client.secrets.sort((a, b) => pyStr(a.name).toLowerCase().localeCompare(pyStr(b.name).toLowerCase()));
    return client;
  }

  /** `open2fa list -s`: name and secret of each entry. */
  list(): PySecret[] {
    return this.secrets.map(({ secret, name }) => ({ secret, name }));
  }

  /** `open2fa generate` (one refresh): each entry's code. */
  generate(now = Date.now()): { name: string | null; code: string }[] {
    return this.secrets.map(({ secret, name }) => ({ name, code: pythonTotp(secret, now) }));
  }

  /** `open2fa add SECRET NAME` (input already valid), then the write that drops every other key. */
  async add(secret: string, name: string | null): Promise<void> {
    this.secrets.push(totpSecret({ secret, name }, Date.now()));
    await this.#write();
  }

  /** `open2fa delete -n NAME` / `-s SECRET` with `-f`: drops the matching entries here; answers how many. */
  async remove(match: { name?: string; secret?: string }): Promise<number> {
    const before = this.secrets.length;
    this.secrets = this.secrets.filter((s) => !(s.secret === match.secret || pyStr(s.name) === match.name));
    await this.#write();
    return before - this.secrets.length;
  }

  /** `open2fa remote delete -s SECRET` / `-n NAME`: the first local match's v1 copy; the local entry stays. */
  async remoteDelete(match: { name?: string; secret?: string }): Promise<number> {
    const target = this.secrets.find(
      (s) =>
        (match.secret !== undefined && s.secret === match.secret) ||
        (match.name !== undefined && s.name === match.name),
    );
    if (target === undefined) throw new PythonTraceback('open2fa.ex.DelNoNameSecFound');
    const key = await this.#key();
    const totps = [{ name: target.name, enc_secret: await encryptV1(key, target.secret) }];
    const body = (await this.#request('DELETE', { totps })) as { deleted: number };
    return body.deleted;
  }

  /** `open2fa remote push`: every local secret; answers what the server holds afterwards. */
  async push(): Promise<PySecret[]> {
    const key = await this.#key();
    const totps = await Promise.all(
      this.secrets.map(async (s) => ({ name: s.name, enc_secret: await encryptV1(key, s.secret) })),
    );
    const body = (await this.#request('POST', { totps })) as { totps: { enc_secret: string; name: string | null }[] };
    return Promise.all(
      body.totps.map(async (t) => totpSecret({ secret: await decryptV1(key, t.enc_secret), name: t.name }, Date.now())),
    );
  }

  /** `open2fa remote pull`: adds the (secret, name) pairs not stored, and writes. */
  async pull(): Promise<PySecret[]> {
    const key = await this.#key();
    const body = (await this.#request('GET')) as { totps: { enc_secret: string; name: string | null }[] };
    const pulled = await Promise.all(
      body.totps.map(async (t) => totpSecret({ secret: await decryptV1(key, t.enc_secret), name: t.name }, Date.now())),
    );
    const fresh = pulled.filter((p) => !this.secrets.some((s) => s.secret === p.secret && s.name === p.name));
    this.secrets.push(...fresh);
    await this.#write();
    return pulled;
  }

  async #write(): Promise<void> {
    const secrets = this.secrets.map(({ secret, name }) => ({ secret, name }));
    // `json.dumps` with its defaults, as 1.x writes (the CLI's serialiser reproduces exactly that).
    await writeFile(this.#path, toPythonJson({ secrets }));
  }

  async #key(): Promise<Uint8Array<ArrayBuffer>> {
    if (this.#uuid === null) throw new PythonTraceback('open2fa.ex.NoUUIDError');
    return (await deriveV1Credentials(this.#uuid)).key;
  }

  async #request(method: string, body?: unknown): Promise<unknown> {
    if (this.#uuid === null) throw new PythonTraceback('open2fa.ex.NoUUIDError');
    const { id } = await deriveV1Credentials(this.#uuid);
    const response = await fetch(`${this.#apiUrl}/totps`, {
      method,
      headers: { 'X-User-Hash': id, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await response.json();
    if (!response.ok) throw new PythonTraceback(`requests.exceptions.HTTPError: ${String(response.status)}`);
    return json;
  }
}

function totpSecret(item: Record<string, unknown>, now: number): PySecret {
  if (!('secret' in item)) throw new PythonTraceback("KeyError: 'secret'");
  if (!('name' in item)) throw new PythonTraceback("KeyError: 'name'");
  const secret = item.secret;
  if (typeof secret !== 'string')
    throw new PythonTraceback('TypeError: argument should be a bytes-like object or ASCII string');
  pythonTotp(secret, now);
  return { secret, name: item.name as string | null };
}

function pyStr(name: string | null): string {
  return name ?? 'None';
}
