import { describe, expect, it } from 'vitest';
import { describeSettingsTable, readSettingsTable, type SettingsTable } from '../../src/core/settings-table.js';

interface Demo {
  readonly port: number;
  readonly name: string;
}

function port(raw: string | undefined): number {
  if (raw === undefined || !/^\d+$/.test(raw)) throw new RangeError(`PORT is not a number: ${String(raw)}`);
  return Number(raw);
}

const TABLE: SettingsTable<Demo, [raw: string | undefined]> = [
  { key: 'port', env: 'PORT', default: '8000', help: 'the port', parse: port },
  {
    key: 'name',
    env: 'DEMO_NAME',
    default: 'demo',
    help: 'a name',
    parse: (raw) => {
      if (raw === '') throw new RangeError('DEMO_NAME is empty');
      return raw ?? 'demo';
    },
  },
];

describe('readSettingsTable', () => {
  it('parses every row from the arguments it is given', () => {
    const env = { PORT: '9000', DEMO_NAME: 'x' };
    const reading = readSettingsTable(TABLE, (row): [string | undefined] => [env[row.env as keyof typeof env]]);
    expect(reading.values).toEqual({ port: 9000, name: 'x' });
    expect(reading.problems.size).toBe(0);
  });

  it('collects the problem of every row, by key, in table order, and keeps the rows that parsed', () => {
    const env: Readonly<Record<string, string>> = { PORT: 'eighty', DEMO_NAME: '' };
    const reading = readSettingsTable(TABLE, (row): [string | undefined] => [env[row.env]]);
    expect([...reading.problems]).toEqual([
      ['port', 'PORT is not a number: eighty'],
      ['name', 'DEMO_NAME is empty'],
    ]);
    const half = readSettingsTable(TABLE, (row): [string | undefined] => [row.key === 'port' ? '1' : '']);
    expect(half.values).toEqual({ port: 1 });
    expect([...half.problems.keys()]).toEqual(['name']);
  });
});

describe('describeSettingsTable', () => {
  it('pads every variable to the longest and shows the default as told', () => {
    expect(describeSettingsTable(TABLE, (text) => `<${text}>`)).toEqual([
      '  PORT       the port (default: <8000>)',
      '  DEMO_NAME  a name (default: <demo>)',
    ]);
  });
});
