import type { V2Failure } from './api-v2-client.js';

/**
 * Every sentence the page shows about an outcome lives here, so views never phrase errors. The
 * import's sentences are in `import-messages.ts`, which loads with the import chunk.
 */
export const MESSAGES = {
  noEntries: 'There are no entries stored for this Open2FA ID. Check the ID, or add a first entry below.',
  secretMismatch:
    'The Open2FA Secret does not match this Open2FA ID: it decrypts none of the stored entries. Check the Secret.',
  unreachable: 'Cannot reach the open2fa server. Check the connection and try again.',
  malformed: 'The server answered with something that is not an open2fa answer. Try again later.',
  derivedFromUuid: 'Filled in the Open2FA ID and Secret derived from the UUID. The UUID itself is not kept or sent.',
  locked: 'Locked: the Secret and the codes were cleared from this page.',
  forgotten: 'Forgot this device: nothing about you is stored in this browser now.',
  qrNotFound: 'No QR code was found in that image. Try a sharper or larger picture.',
  qrUnreadable: 'That file could not be read as an image.',
  qrRead: 'Read the QR code. Check the name, then press Add entry.',
  tokenMismatch: 'The server refused the auth token of this Open2FA Secret for v2 entries. Check the Secret.',
  conflict: 'This entry was changed on another device; reloaded, try again.',
  emptyCheck:
    'Nothing is stored for this Open2FA ID yet. Is this a new account, or a typo in the ID or Secret? A typo would start a second, empty account.',
  checkTyped: 'Check the Open2FA ID and Secret (or the UUID), then press Show codes again.',
  offlineWrite:
    'Offline: this page shows the copy kept on this device, so changes are refused until the server can be reached. Reload to try again.',
  kitSaved: 'Your account is ready. Add a first entry below.',
  pairFailed: 'The pairing link holds no valid Open2FA credentials. Ask for a new link, or type the ID and Secret.',
  migrated:
    'This browser kept your Open2FA Secret in clear; it has been wiped. To open the codes here without typing it, set a PIN or a passkey under “This device”.',
  deviceUnlockFailed: 'That did not unlock this device. Try again, or type the Open2FA ID and Secret.',
  cameraUnavailable: 'The camera could not be opened (no camera, or permission refused). Choose an image instead.',
  pairQrWrong: 'That QR code is not an Open2FA pairing link.',
  idleLocked: 'Locked after a while without use.',
  hiddenLocked: 'Locked when the page was hidden.',
  qrDrawFailed: 'The QR code could not be drawn: the page could not load its QR encoder. Reload and try again.',
  writeLoadFailed: 'Nothing was changed: the page could not load the code that saves changes. Reload and try again.',
} as const;

export function describeFailure(failure: V2Failure): string {
  switch (failure.kind) {
    case 'unauthorized':
      return MESSAGES.tokenMismatch;
    case 'conflict':
      return failure.item === null ? `The server refused the change: ${failure.detail}` : MESSAGES.conflict;
    case 'not_found':
      return MESSAGES.noEntries;
    case 'rate_limited':
      return failure.retryAfterSeconds === null
        ? 'Too many requests: the server asks to wait a moment before trying again.'
        : `Too many requests: the server asks to wait ${String(failure.retryAfterSeconds)} s before trying again.`;
    case 'unreachable':
      return MESSAGES.unreachable;
    case 'server':
      return `The server could not answer (HTTP ${String(failure.status)}). Try again in a moment.`;
    case 'rejected':
      return `The server refused the request (HTTP ${String(failure.status)}): ${failure.detail}`;
    case 'malformed':
      return MESSAGES.malformed;
  }
}

export function undecryptableNotice(count: number): string {
  return count === 1
    ? 'One stored entry could not be decrypted with this Open2FA Secret and is not shown.'
    : `${String(count)} stored entries could not be decrypted with this Open2FA Secret and are not shown.`;
}

export function integrityNotice(count: number): string {
  return count === 1
    ? 'One v2 entry failed its integrity check (it was changed or moved on the server) and is not shown.'
    : `${String(count)} v2 entries failed their integrity check (changed or moved on the server) and are not shown.`;
}

export function rollbackNotice(seen: number, now: number): string {
  return `Possible rollback: the server shows change ${String(now)}, older than change ${String(seen)} this page saw. Nothing was deleted; check the server.`;
}

/** The offline banner: when the copy shown was synced, in the device's own words. */
export function offlineNotice(syncedAt: number): string {
  const when = new Date(syncedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return `Offline, last synced at ${when}. The codes are correct; adding, renaming and deleting are refused (not queued) until the server is back.`;
}
