import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/cli/command-context.js';
import { buildProgram } from '../../src/cli/program.js';
import { harnessDeps, runOpen2fa } from './cli-harness.js';

const ALL_COMMANDS = [
  'add',
  'delete',
  'rename',
  'list',
  'info',
  'generate',
  'code',
  'import',
  'export',
  'qr',
  'trash',
  'restore',
  'remote',
];
const REMOTE_COMMANDS = [
  'init',
  'push',
  'pull',
  'migrate',
  'delete',
  'list',
  'info',
  'delete-account',
  'pair',
  'rotate',
];

async function program(argv: readonly string[]): Promise<Command> {
  return buildProgram(createContext(harnessDeps()), argv);
}

const names = (command: Command): string[] => command.commands.map((sub) => sub.name());
const sub = (command: Command, name: string): Command => {
  const found = command.commands.find((candidate) => candidate.name() === name);
  if (found === undefined) throw new Error(`no command ${name}`);
  return found;
};

describe('the program loads only the command it runs', () => {
  it('registers every command, in the order of the help, when no command is named', async () => {
    for (const argv of [[], ['--help'], ['bogus'], ['help', 'code']]) {
      const built = await program(argv);
      expect(names(built)).toEqual(ALL_COMMANDS);
      expect(names(sub(built, 'remote'))).toEqual(REMOTE_COMMANDS);
    }
  });

  it('registers just the named command, by name or alias', async () => {
    expect(names(await program(['code', 'GitHub']))).toEqual(['code']);
    expect(names(await program(['a', 'JBSWY3DPEHPK3PXP']))).toEqual(['add']);
    const remote = await program(['r', 'pus']);
    expect(names(remote)).toEqual(['remote']);
    expect(names(sub(remote, 'remote'))).toEqual(['push']);
    expect(names(sub(await program(['remote', '--help']), 'remote'))).toEqual(REMOTE_COMMANDS);
  });

  it('builds each command exactly as the full program does (same help, aliases and options)', async () => {
    const full = await program([]);
    for (const name of ALL_COMMANDS.filter((command) => command !== 'remote')) {
      const alone = sub(await program([name]), name);
      expect(alone.helpInformation()).toBe(sub(full, name).helpInformation());
      expect(alone.aliases()).toEqual(sub(full, name).aliases());
    }
    for (const name of REMOTE_COMMANDS) {
      const alone = sub(sub(await program(['remote', name]), 'remote'), name);
      expect(alone.helpInformation()).toBe(sub(sub(full, 'remote'), name).helpInformation());
    }
  });
});

describe('the environment, read in one table', () => {
  it('lists every variable, its default and its help in `open2fa --help`', async () => {
    const help = (await runOpen2fa(['--help'])).stdout;
    expect(help).toContain('\nEnvironment:\n');
    for (const variable of [
      'OPEN2FA_DIR',
      'OPEN2FA_API_URL',
      'OPEN2FA_PROTOCOL',
      'OPEN2FA_UUID',
      'OPEN2FA_PASSPHRASE',
    ]) {
      expect(help).toMatch(new RegExp(`\\n {2}${variable} +\\S.*\\(default: [^)]+\\)\\n`));
    }
  });

  it('reports every problem of the settings a command uses, at once (exit 2)', async () => {
    const run = await runOpen2fa(['remote', 'push'], {
      env: { HOME: '/home/x', OPEN2FA_API_URL: 'ftp://x', OPEN2FA_PROTOCOL: 'v9', OPEN2FA_UUID: 'nope' },
    });
    expect(run).toEqual({
      exitCode: 2,
      stdout: '',
      stderr:
        'open2fa: error: OPEN2FA_API_URL must be an http(s) URL, got ftp://x; ' +
        'OPEN2FA_PROTOCOL must be one of v1, v2, got v9; OPEN2FA_UUID is not a UUID\n',
    });
  });

  it('ignores a problem in a setting the command does not use', async () => {
    const run = await runOpen2fa(['list'], {
      env: { HOME: '/nonexistent-home', OPEN2FA_API_URL: 'ftp://x', OPEN2FA_UUID: 'nope' },
    });
    expect(run).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await runOpen2fa(['list'], { env: {} })).stderr).toBe(
      'open2fa: error: cannot find the open2fa directory: set OPEN2FA_DIR or HOME\n',
    );
  });
});

describe('remote sync', () => {
  it('is the word people try first: the merge that remote push does', async () => {
    const help = await runOpen2fa(['remote', 'sync', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("sync: merge the server's changes, then send this device's additions");
  });
});
