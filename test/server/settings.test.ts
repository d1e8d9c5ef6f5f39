import { describe, expect, it } from 'vitest';
import { defaultDatabaseUrl, describeSettings, readSettings, SETTINGS } from '../../src/server/settings.js';

/** A login's environment: the data directory default needs a home. */
const HOME = { HOME: '/home/someone' };

describe('readSettings', () => {
  it('has the documented defaults', () => {
    expect(readSettings(HOME)).toEqual({
      status: 'ok',
      settings: {
        port: 8000,
        host: '127.0.0.1',
        databaseUrl: 'sqlite:/home/someone/.local/share/open2fa/open2fa.db',
        logLevel: 'info',
        logFormat: 'auto',
        pgPoolSize: 10,
        pgStatementTimeoutMs: 5000,
        redisUrl: null,
        rateLimitMax: 300,
        rateLimitFailedLookups: 30,
        trustProxy: false,
        metricsToken: null,
        requestTimeoutMs: 30000,
        keepAliveTimeoutMs: 5000,
        maxHeaderBytes: 16384,
        hstsMaxAge: 0,
        corsOrigins: [],
      },
    });
  });

  it('reads the environment and treats empty as unset', () => {
    const result = readSettings({
      PORT: '0',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u@h/db',
      LOG_LEVEL: 'WARN',
      PG_POOL_SIZE: '',
    });
    expect(result).toMatchObject({
      status: 'ok',
      settings: { port: 0, host: '0.0.0.0', databaseUrl: 'postgres://u@h/db', logLevel: 'warn', pgPoolSize: 10 },
    });
  });

  it('collects every problem at once', () => {
    const result = readSettings({ PORT: '80a', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    expect(result.status).toBe('error');
    if (result.status !== 'error') return;
    expect(result.problems).toHaveLength(3);
    expect(result.problems.join('\n')).toMatch(/PORT.*whole number[\s\S]*DATABASE_URL.*sqlite:[\s\S]*LOG_LEVEL.*info/);
  });

  it.each(['65536', '-1', '1.5'])('rejects PORT=%s', (port) => {
    expect(readSettings({ ...HOME, PORT: port }).status).toBe('error');
  });

  it.each([
    ['false', false],
    ['2', 2],
    ['10.0.0.1, 192.168.0.0/16', ['10.0.0.1', '192.168.0.0/16']],
  ])('reads TRUST_PROXY=%s', (raw, expected) => {
    expect(readSettings({ ...HOME, TRUST_PROXY: raw })).toMatchObject({ settings: { trustProxy: expected } });
  });

  it.each(['true', 'on', 'TRUE'])('refuses TRUST_PROXY=%s (every hop) and says what to give instead', (raw) => {
    const result = readSettings({ ...HOME, TRUST_PROXY: raw });
    expect(result.status).toBe('error');
    const problems = result.status === 'error' ? result.problems.join('\n') : '';
    expect(problems).toMatch(/^TRUST_PROXY: true would trust every hop/);
    expect(problems).toContain('the number of proxies in front (e.g. 1) or their addresses');
  });

  it('reads CORS_ORIGINS as a list of origins', () => {
    expect(readSettings({ ...HOME, CORS_ORIGINS: 'https://a.example, http://localhost:3000' })).toMatchObject({
      settings: { corsOrigins: ['https://a.example', 'http://localhost:3000'] },
    });
  });

  it.each([
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'https://a.example/path'],
    ['MAX_HEADER_BYTES', '10'],
    ['HSTS_MAX_AGE', 'forever'],
    ['TRUST_PROXY', 'everyone'],
    ['REDIS_URL', 'http://x'],
    ['RATE_LIMIT_MAX', '-5'],
    ['LOG_FORMAT', 'xml'],
  ])('rejects %s=%s', (env, raw) => {
    expect(readSettings({ ...HOME, [env]: raw }).status).toBe('error');
  });

  it.each([
    [
      'under systemd, the StateDirectory',
      { ...HOME, STATE_DIRECTORY: '/var/lib/open2fa' },
      '/var/lib/open2fa/open2fa.db',
    ],
    ['the first of several state directories', { STATE_DIRECTORY: '/var/lib/a:/var/lib/b' }, '/var/lib/a/open2fa.db'],
    ['XDG_DATA_HOME when absolute', { ...HOME, XDG_DATA_HOME: '/data/xdg' }, '/data/xdg/open2fa/open2fa.db'],
    [
      '~/.local/share for a relative XDG_DATA_HOME',
      { ...HOME, XDG_DATA_HOME: 'rel' },
      '/home/someone/.local/share/open2fa/open2fa.db',
    ],
    [
      '~/.local/share for an empty STATE_DIRECTORY',
      { ...HOME, STATE_DIRECTORY: '' },
      '/home/someone/.local/share/open2fa/open2fa.db',
    ],
  ])('puts the default database in %s', (_case, env, path) => {
    expect(readSettings(env)).toMatchObject({ settings: { databaseUrl: `sqlite:${path}` } });
    expect(defaultDatabaseUrl(env)).toBe(`sqlite:${path}`);
  });

  it('never depends on the working directory: without a home it asks for DATABASE_URL', () => {
    expect(readSettings({})).toEqual({
      status: 'error',
      problems: ['DATABASE_URL: no data directory: set DATABASE_URL, XDG_DATA_HOME or HOME'],
    });
    expect(readSettings({ DATABASE_URL: 'sqlite:data/open2fa.db' })).toMatchObject({
      settings: { databaseUrl: 'sqlite:data/open2fa.db' },
    });
  });

  it.each([
    ['', 'auto'],
    ['pretty', 'pretty'],
    ['JSON', 'json'],
  ])('reads LOG_FORMAT=%s', (raw, expected) => {
    expect(readSettings({ ...HOME, LOG_FORMAT: raw })).toMatchObject({ settings: { logFormat: expected } });
  });

  it('documents every setting', () => {
    const help = describeSettings();
    for (const spec of SETTINGS) {
      expect(help).toContain(spec.env);
      expect(help).toContain(`(default: ${spec.default === '' ? 'unset' : spec.default})`);
    }
  });
});
