/**
 * The parameters of HOTP/TOTP codes as plain data, apart from the code generators (otp.ts loads
 * otpauth): modules that only store or validate entries, like the CLI's `list`, start faster without it.
 */
export const OTP_ALGORITHMS = ['SHA1', 'SHA256', 'SHA512'] as const;
export type OtpAlgorithm = (typeof OTP_ALGORITHMS)[number];

/** RFC 4226 §5.3 asks for at least 6 digits; authenticators show at most 8. */
export const MIN_DIGITS = 6;
export const MAX_DIGITS = 8;
/** RFC 6238 §4: X, the time step in seconds. */
export const DEFAULT_PERIOD = 30;
