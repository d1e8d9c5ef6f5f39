import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/cli/cli-error.js';
import { reportFailure } from '../../src/cli/failure-report.js';
import { Open2faError } from '../../src/core/errors.js';
import { runOpen2fa } from './cli-harness.js';

describe('reportFailure: the one mapping from errors to messages and exit statuses', () => {
  const table: [string, unknown, { message: string | null; exitCode: number }][] = [
    ['a usage CliError', new CliError('invalid_secret', 'invalid secret'), { message: 'invalid secret', exitCode: 2 }],
    ['a runtime CliError', new CliError('remote_http', 'answered 500'), { message: 'answered 500', exitCode: 1 }],
    ['a multi-line message', new CliError('io_failed', 'a\n  b'), { message: 'a b', exitCode: 1 }],
    [
      'commander --help',
      new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'),
      { message: null, exitCode: 0 },
    ],
    ['a commander usage error', new CommanderError(1, 'commander.unknownOption', 'x'), { message: null, exitCode: 2 }],
    ['core invalid base32', new Open2faError('invalid_base32', 'not base32'), { message: 'not base32', exitCode: 2 }],
    ['core decrypt failure', new Open2faError('decrypt_failed', 'wrong key'), { message: 'wrong key', exitCode: 1 }],
    [
      'a system error',
      Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
      { message: 'EACCES: permission denied (EACCES)', exitCode: 1 },
    ],
    ['a bug', new TypeError('x is undefined'), { message: 'unexpected error: x is undefined', exitCode: 1 }],
    ['a thrown string', 'boom', { message: 'unexpected error: boom', exitCode: 1 }],
  ];
  it.each(table)('%s', (_what, error, expected) => {
    expect(reportFailure(error)).toEqual(expected);
  });

  it('never prints a stack trace, even for an invalid environment', async () => {
    const run = await runOpen2fa(['remote', 'push'], {
      env: { OPEN2FA_DIR: '/nonexistent', OPEN2FA_API_URL: 'ftp://x' },
    });
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr: 'open2fa: error: OPEN2FA_API_URL must be an http(s) URL, got ftp://x\n',
    });
  });
});
