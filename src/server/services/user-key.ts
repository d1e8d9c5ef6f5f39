import { hash } from 'node:crypto';
import type { UserKey } from '../../store/store.js';
import { ServiceError } from './service-error.js';

/**
 * The store key of an Open2FA ID: its SHA-256. IDs carry ~128 bits of entropy, so an unsalted hash
 * already keeps a database thief from learning them; node:crypto keeps it cheap on the hot path.
 */
export function userKey(userHash: string | undefined): UserKey {
  if (userHash === undefined) throw new ServiceError('missing_user_hash', 'Missing X-User-Hash header');
  return hash('sha256', userHash, 'buffer');
}
