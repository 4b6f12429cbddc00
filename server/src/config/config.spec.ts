import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'config-spec-'));

  it('defaults to the embedded engine on 127.0.0.1:3000 and keeps a generated pupil key across restarts', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      clickhouseUrl: undefined,
      queuePrefix: 'attendance',
      authMode: 'jwt',
      worker: true,
    });
    expect(config.simulator.enabled).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir }).pupilKey).toBe(config.pupilKey);
    expect(loadConfig({ DATA_DIR: dataDir }).upnKey).toBe(config.upnKey);
    expect(config.upnKey).not.toBe(config.pupilKey);
  });

  it('requires secrets in production and never allows dev auth there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(/JWT_SECRET is required/);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(32), PUPIL_KEY: 'y'.repeat(32) }),
    ).toThrow(/UPN_KEY is required/);
    const secrets = { JWT_SECRET: 'x'.repeat(32), PUPIL_KEY: 'y'.repeat(32), UPN_KEY: 'z'.repeat(32) };
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, ...secrets, AUTH_MODE: 'dev' })).toThrow(
      /never allowed/,
    );
    expect(loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, ...secrets }).pupilKey).toBe('y'.repeat(32));
  });

  it('reads the term calendar from TERM_CALENDAR, else England typical dates', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).termCalendar.terms[0]).toMatchObject({
      academicYear: '2025/26',
      term: 'Autumn',
      from: '2025-09-03',
    });
    const own = join(dataDir, 'term-calendar.json');
    const halves = (from: string, to: string) => [
      { from, to: from },
      { from: to, to },
    ];
    writeFileSync(
      own,
      JSON.stringify({
        years: {
          '2026/27': {
            Autumn: halves('2026-09-02', '2026-12-17'),
            Spring: halves('2027-01-05', '2027-03-26'),
            Summer: halves('2027-04-13', '2027-07-20'),
          },
        },
      }),
    );
    expect(loadConfig({ DATA_DIR: dataDir, TERM_CALENDAR: own }).termCalendar.terms.map((t) => t.from)).toEqual([
      '2026-09-02',
      '2027-01-05',
      '2027-04-13',
    ]);
    writeFileSync(own, '{"years": {"2026/27": {}}}');
    expect(() => loadConfig({ DATA_DIR: dataDir, TERM_CALENDAR: own })).toThrow(
      /TERM_CALENDAR: years\.2026\/27\.Autumn/,
    );
  });

  it('takes a first date for marks only as a real date the service can hold', () => {
    expect(loadConfig({ DATA_DIR: dataDir }).markDatesFrom).toBeUndefined();
    expect(loadConfig({ DATA_DIR: dataDir, MARK_DATES_FROM: '2024-09-01' }).markDatesFrom).toBe('2024-09-01');
    for (const wrong of ['1969-12-31', '0001-01-01', '2025-02-30', 'last year']) {
      expect(() => loadConfig({ DATA_DIR: dataDir, MARK_DATES_FROM: wrong })).toThrow(/MARK_DATES_FROM/);
    }
  });

  it('times requests out after 30 s, uploads after 120 s, never an upload before an ordinary request', () => {
    const defaults = loadConfig({ DATA_DIR: dataDir });
    expect(defaults).toMatchObject({ requestTimeoutSeconds: 30, uploadTimeoutSeconds: 120, keepAliveSeconds: 5 });
    expect(loadConfig({ DATA_DIR: dataDir, REQUEST_TIMEOUT_SECONDS: '300' }).uploadTimeoutSeconds).toBe(300);
    expect(loadConfig({ DATA_DIR: dataDir }).jwtMaxLifetimeHours).toBe(24);
    expect(() => loadConfig({ DATA_DIR: dataDir, JWT_MAX_LIFETIME_HOURS: '200' })).toThrow(/JWT_MAX_LIFETIME_HOURS/);
  });

  it('says which variable is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: dataDir })).toThrow(/PORT/);
    expect(() => loadConfig({ SIMULATOR: 'yes', DATA_DIR: dataDir })).toThrow(/SIMULATOR/);
    expect(() => loadConfig({ QUEUE_PREFIX: 'a:b', DATA_DIR: dataDir })).toThrow(/QUEUE_PREFIX/);
    const samePort = { PORT: '3000', METRICS_PORT: '3000', DATA_DIR: dataDir };
    expect(() => loadConfig(samePort)).toThrow(/METRICS_PORT must differ/);
  });
});
