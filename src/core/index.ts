/**
 * open2fa core: isomorphic (Node and browsers), pure, WebCrypto only. No `node:*` imports, no DOM.
 */
export { Open2faError, isOpen2faError, type Open2faErrorCode } from './errors.js';
export { decodeBase32, decodeBase58, encodeBase32, encodeBase58, normalizeBase32 } from './encoding.js';
export { formatUuid, isUuid, parseUuid, randomUuid } from './uuid.js';
export { deriveV1Credentials, parseV1Secret, V1_KEY_LENGTH, type V1Credentials } from './v1/keys.js';
export { decryptV1, encryptV1 } from './v1/cipher.js';
export {
  DEFAULT_PERIOD,
  hotpCode,
  MAX_DIGITS,
  MIN_DIGITS,
  OTP_ALGORITHMS,
  totpCode,
  totpCounter,
  totpSecondsRemaining,
  type OtpAlgorithm,
  type OtpParameters,
  type TotpParameters,
} from './otp/otp.js';
export { entryCode, entryProblem, steamCode } from './entry/codes.js';
export { makeEntry, OTP_TYPES, STEAM_DIGITS, type Entry, type OtpType } from './entry/model.js';
export { deriveV2KeyBytes, deriveV2Keys, type V2Keys } from './v2/keys.js';
export {
  ENVELOPE_PREFIX,
  entryPayload,
  openEnvelope,
  PADDING_BLOCK,
  randomItemId,
  sealEnvelope,
  type EnvelopeBinding,
} from './v2/cipher.js';
