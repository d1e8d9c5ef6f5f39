import type { Entry } from '../../entry/model.js';
import type { HttpResult } from '../../http/exchange.js';
import { sealEnvelope, sealTombstone } from '../cipher.js';
import type { V2Client, V2WriteOutcome } from '../client.js';
import { openItems } from '../open.js';
import type { TransportChanges, TransportWrite, V2Transport } from './run.js';

/**
 * The v2 API as sync's transport: changes are opened with the envelope key, writes sealed for the
 * revision they create (the base revision + 1), deletions sent with a sealed tombstone.
 */
export function httpTransport(client: V2Client, envelopeKey: CryptoKey, userId: string): V2Transport {
  return {
    async changes(since): Promise<HttpResult<TransportChanges>> {
      const listing = await client.allChanges(since);
      if (!listing.ok) return listing;
      const { items, seq } = listing.value.data;
      return { ok: true, value: { items: await openItems(envelopeKey, userId, items), seq } };
    },
    async put(id, baseRev, entry: Entry) {
      const envelope = await sealEnvelope(envelopeKey, { userId, itemId: id }, entry, baseRev + 1);
      return toTransport(await client.put(id, baseRev, envelope));
    },
    async delete(id, baseRev) {
      const envelope = await sealTombstone(envelopeKey, { userId, itemId: id }, baseRev + 1);
      return toTransport(await client.remove(id, baseRev, envelope));
    },
  };
}

function toTransport(result: HttpResult<{ readonly data: V2WriteOutcome }>): HttpResult<TransportWrite> {
  if (!result.ok) return result;
  const outcome = result.value.data;
  return {
    ok: true,
    value: outcome.status === 'ok' ? { status: 'ok', rev: outcome.item.rev } : { status: outcome.status },
  };
}
