/** The sentences of the lazy session panels (This device, Export): they load with them. */
export const SESSION_MESSAGES = {
  unreachable: 'Cannot reach the open2fa server. Check the connection and try again.',
  deviceUnlockFailed: 'That did not work on this device. Try again.',
  qrDrawFailed: 'The QR code could not be drawn: the page could not load its QR encoder. Reload and try again.',
  lockSaved: 'This device now unlocks with your PIN or passphrase. The Secret is not stored.',
  passkeySaved: 'This device now unlocks with your passkey. The Secret is not stored.',
  lockRemoved: 'The PIN or passkey of this device was removed.',
  lockNeedsRemember: 'Turn on “Remember my Open2FA ID” (then unlock again) before setting a PIN or passkey.',
  pinTooShort: 'Use at least 6 characters: a longer passphrase resists guessing far better.',
  passkeyUnsupported: 'This browser or passkey cannot derive a key (WebAuthn PRF): use a PIN or passphrase instead.',
  backupPasswordShort: 'Choose a backup password of at least 8 characters.',
  exported: 'The file was saved by your browser. Keep it safe.',
  restoreNeedsFile: 'Choose a backup file and enter its password.',
  nothingToTransfer:
    'None of these entries fits a Google Authenticator transfer (it holds no Steam codes, 7 digits or periods other than 30 s).',
  pairWarning:
    'This link opens all your codes: scan it only with your own device, then close this. It is never sent to the server.',
} as const;
