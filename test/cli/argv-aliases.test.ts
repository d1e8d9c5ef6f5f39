import { describe, expect, it } from 'vitest';
import { normalizeArgv } from '../../src/cli/argv-aliases.js';

describe('the Python client command aliases', () => {
  const table: [string[], string[]][] = [
    [['l'], ['list']],
    [
      ['-l', '-s'],
      ['list', '-s'],
    ],
    [['--LIST'], ['list']],
    [
      ['a', 'X', 'Y'],
      ['add', 'X', 'Y'],
    ],
    [
      ['-d', '-n', 'x'],
      ['delete', '-n', 'x'],
    ],
    [
      ['--generate', '-r', '1'],
      ['generate', '-r', '1'],
    ],
    [['status'], ['info']],
    [
      ['-inf', '-s'],
      ['info', '-s'],
    ],
    [['stat'], ['info']],
    [
      ['r', 'pus'],
      ['remote', 'push'],
    ],
    [
      ['remote', '--pull'],
      ['remote', 'pull'],
    ],
    [
      ['-r', 'ini'],
      ['remote', 'init'],
    ],
    [
      ['remote', 'del', '-n', 'x'],
      ['remote', 'delete', '-n', 'x'],
    ],
    [
      ['remote', 'inf'],
      ['remote', 'info'],
    ],
  ];
  it.each(table)('%j → %j', (input, expected) => {
    expect(normalizeArgv(input)).toEqual(expected);
  });

  const untouched: string[][] = [[], ['code', 'l'], ['rename', 'a', 'b'], ['--version'], ['-h'], ['add', 'l']];
  it.each(untouched)('leaves %j alone', (...input) => {
    expect(normalizeArgv(input)).toEqual(input);
  });
});
