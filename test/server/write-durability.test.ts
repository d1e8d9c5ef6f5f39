import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  deriveV1Credentials,
  deriveV2Keys,
  makeEntry,
  randomItemId,
  randomUuid,
  sealEnvelope,
} from '../../src/core/index.js';
import { serverFixtures, type ServerProcess } from '../helpers/server-process.js';

const { start, freshDirectory } = serverFixtures('open2fa-durability-');

/** Writers at once: many more than one commit's worth, so the writer thread commits them in groups. */
const V1_WRITERS = 48;
const V2_WRITERS = 16;
/**
 * Entries in each v1 push besides the new one (the same every time: an upsert). They make each write
 * cost the writer thread about a millisecond, so a group takes several: were an answer sent before its
 * group's commit, the kill would find the gap (checked by breaking it on purpose).
 */
const V1_FILLER = Array.from({ length: 60 }, (_, index) => ({ enc_secret: `filler-${String(index)}`, name: null }));
/** Acknowledged writes after which the server is killed, with the other writers' requests in flight. */
const KILL_AFTER = 150;
/**
 * Kills, each on a server started again on the same file. Answering each write before its group's
 * commit (broken on purpose) lost acknowledged writes in each of 3 runs here.
 */
const ROUNDS = 4;

interface Writer {
  readonly headers: Record<string, string>;
  /** What the server acknowledged: v1 ciphertexts or v2 item ids. */
  readonly acknowledged: string[];
  /** Requests that got no answer: in flight when the server died. */
  unanswered: number;
}

async function v1Writer(): Promise<Writer> {
  const { id } = await deriveV1Credentials(randomUuid());
  return { headers: { 'x-user-hash': id }, acknowledged: [], unanswered: 0 };
}

interface V2Writer extends Writer {
  seal(itemId: string): Promise<string>;
}

async function v2Writer(): Promise<V2Writer> {
  const v1 = await deriveV1Credentials(randomUuid());
  const keys = await deriveV2Keys(v1.key);
  return {
    headers: { 'x-user-hash': v1.id, authorization: `Bearer ${keys.authToken}` },
    acknowledged: [],
    unanswered: 0,
    seal: (itemId) =>
      sealEnvelope(keys.envelopeKey, { userId: v1.id, itemId }, makeEntry('JBSWY3DPEHPK3PXP', itemId), 1),
  };
}

/**
 * Sends writes one after another until the server stops answering, and records each one acknowledged.
 * `onAck` runs as soon as an answer's status is in, before its body is read: the kill comes early.
 */
async function write(
  writer: Writer,
  send: () => Promise<{ response: Response; written: string }>,
  onAck: () => void,
): Promise<void> {
  for (;;) {
    let answer: { response: Response; written: string };
    try {
      answer = await send();
    } catch (error) {
      // fetch's own failure (the connection reset or refused), nothing else: that is the kill.
      if (!(error instanceof TypeError && error.message === 'fetch failed')) throw error;
      writer.unanswered++;
      return;
    }
    if (!answer.response.ok) throw new Error(`a write was refused: ${String(answer.response.status)}`);
    writer.acknowledged.push(answer.written);
    onAck();
    await answer.response.arrayBuffer().catch(() => undefined);
  }
}

/** Runs every writer against the server until it is killed, after KILL_AFTER acknowledged writes. */
async function writeUntilKilled(server: ServerProcess, v1: Writer[], v2: V2Writer[]): Promise<void> {
  let acknowledged = 0;
  const onAck = () => {
    if (++acknowledged === KILL_AFTER) server.child.kill('SIGKILL');
  };
  let sequence = 0;
  await Promise.all([
    ...v1.map((writer) =>
      write(
        writer,
        async () => {
          const written = `ciphertext-${String(sequence++)}`;
          const response = await fetch(`${server.origin}/api/v1/totps`, {
            method: 'POST',
            headers: { ...writer.headers, 'content-type': 'application/json' },
            body: JSON.stringify({ totps: [...V1_FILLER, { enc_secret: written, name: null }] }),
          });
          return { response, written };
        },
        onAck,
      ),
    ),
    ...v2.map((writer) =>
      write(
        writer,
        async () => {
          const written = randomItemId();
          const envelope = await writer.seal(written);
          const response = await fetch(`${server.origin}/api/v2/items/${written}`, {
            method: 'PUT',
            headers: { ...writer.headers, 'content-type': 'application/json', 'if-match': '"0"' },
            body: JSON.stringify({ envelope }),
          });
          return { response, written };
        },
        onAck,
      ),
    ),
  ]);
  expect(await server.exited).toBe('SIGKILL');
  // Killed after KILL_AFTER acknowledgements, with a write in flight from every writer.
  const writers = [...v1, ...v2];
  expect(writers.reduce((sum, writer) => sum + writer.acknowledged.length, 0)).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(writers.every((writer) => writer.unanswered === 1)).toBe(true);
}

/** The acknowledged writes the server does not have: none, or durability is broken. */
async function missing(origin: string, v1: Writer[], v2: V2Writer[]): Promise<string[]> {
  const lost: string[] = [];
  for (const writer of v1) {
    const response = await fetch(`${origin}/api/v1/totps`, { headers: writer.headers });
    const body = (await response.json()) as { totps: { enc_secret: string }[] };
    const stored = new Set(body.totps.map((totp) => totp.enc_secret));
    lost.push(...writer.acknowledged.filter((written) => !stored.has(written)));
  }
  for (const writer of v2) {
    const response = await fetch(`${origin}/api/v2/items?since=0`, { headers: writer.headers });
    const body = (await response.json()) as { items: { id: string }[]; more: boolean };
    expect(body.more).toBe(false);
    const stored = new Set(body.items.map((item) => item.id));
    lost.push(...writer.acknowledged.filter((written) => !stored.has(written)));
  }
  return lost;
}

describe('durability of acknowledged writes (group commit on SQLite)', () => {
  it('finds every acknowledged v1 and v2 write after the server is killed (SIGKILL) in the middle of a group', async () => {
    // LOG_LEVEL=info: the helper waits for the "listening" line.
    const env = { DATABASE_URL: `sqlite:${join(freshDirectory(), 'store.db')}`, RATE_LIMIT_MAX: '0' };
    let server = await start(env);
    for (let round = 0; round < ROUNDS; round++) {
      const v1 = await Promise.all(Array.from({ length: V1_WRITERS }, v1Writer));
      const v2 = await Promise.all(Array.from({ length: V2_WRITERS }, v2Writer));
      await writeUntilKilled(server, v1, v2);
      server = await start(env);
      expect(await missing(server.origin, v1, v2)).toEqual([]);
    }
  }, 90_000);
});
