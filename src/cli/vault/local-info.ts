import { deriveV1Credentials } from '../../core/v1/keys.js';
import { resolveUuid } from './uuid-file.js';
import { loadVault } from './vault-store.js';

/** The local facts `info` and `remote info` show, unmasked (the output masks them). */
export interface LocalInfo {
  readonly directory: string;
  readonly apiUrl: string;
  readonly protocol: string;
  readonly secrets: number;
  readonly uuid: string | null;
  readonly uuidSource: 'env' | 'file' | null;
  /** The Open2FA ID and Secret derived from the UUID. */
  readonly id: string | null;
  readonly secret: string | null;
}

export interface LocalInfoInput {
  readonly dir: string;
  readonly apiUrl: string;
  readonly protocol: string;
  /** `OPEN2FA_UUID`, which wins over the file. */
  readonly uuid: string | null;
}

/** Gathers the local facts; never contacts the server. */
export async function collectLocalInfo(input: LocalInfoInput): Promise<LocalInfo> {
  const [vault, source] = await Promise.all([loadVault(input.dir), resolveUuid(input.uuid, input.dir)]);
  const credentials = source === null ? null : await deriveV1Credentials(source.uuid);
  return {
    directory: input.dir,
    apiUrl: input.apiUrl,
    protocol: input.protocol,
    secrets: vault.entries.length,
    uuid: source?.uuid ?? null,
    uuidSource: source?.from ?? null,
    id: credentials?.id ?? null,
    secret: credentials?.secret ?? null,
  };
}
