import { packageVersion } from '../package-info.js';

/** Placeholder until the CLI lands: prints help. */
export function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === '--version' || argv[0] === '-V') {
    process.stdout.write(`${packageVersion()}\n`);
    return Promise.resolve(0);
  }
  process.stdout.write('Usage: open2fa <command>\n\nThe open2fa CLI is coming; see README.md.\n');
  return Promise.resolve(argv.length === 0 || argv[0] === '--help' ? 0 : 2);
}
