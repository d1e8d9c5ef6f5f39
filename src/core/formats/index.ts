/**
 * Import and export formats: isomorphic parsers and serialisers, loaded on demand by the CLI's
 * `import`/`export`/`qr` and the web UI's import.
 */
export { buildEntry, type BuiltEntry, type EntryFields } from './entry-builder.js';
export { IMPORT_FORMATS, type ImportFormat, type ImportItem, type ParsedImport } from './import-item.js';
export { parseImport, type DetectedImport } from './import-detect.js';
export { formatOtpauthUri, parseOtpauthUri } from './otpauth-uri.js';
export { parseMigrationUri, type MigrationPayload } from './google-migration.js';
export { parseAegis, serializeAegis } from './aegis-format.js';
export { parseTwoFas, serializeTwoFas } from './twofas-format.js';
export { parseAndOtp } from './andotp-format.js';
export { parseBitwarden } from './bitwarden-format.js';
export { parseOpen2fa, serializeOpen2fa } from './open2fa-format.js';
export {
  decryptBackup,
  encryptBackup,
  MIN_BACKUP_ITERATIONS,
  type BackupResult,
  type EncryptedBackup,
} from './encrypted-backup.js';
export type { ImportFormatSpec, ImportOptions, ImportOutcome, ImportSource } from './format-spec.js';
export {
  detectFormat,
  detectImport,
  formatByName,
  IMPORT_FORMAT_SPECS,
  type UnknownFormat,
} from './format-registry.js';
export { importSource, textSource } from './import-source.js';
