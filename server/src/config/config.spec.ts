import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'config-spec-'));

  it('defaults to the embedded engine on 127.0.0.1:3000 and keeps a generated pupil key across restarts', () => {
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config).toMatchObject({ port: 3000, host: '127.0.0.1', clickhouseUrl: undefined, queuePrefix: 'attendance', authMode: 'jwt', worker: true });
    expect(config.simulator.enabled).toBe(false);
    expect(loadConfig({ DATA_DIR: dataDir }).pupilKey).toBe(config.pupilKey);
    expect(loadConfig({ DATA_DIR: dataDir }).upnKey).toBe(config.upnKey);
    expect(config.upnKey).not.toBe(config.pupilKey);
  });

  it('requires secrets in production and never allows dev auth there', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir })).toThrow(/JWT_SECRET is required/);
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, JWT_SECRET: 'x'.repeat(32), PUPIL_KEY: 'y'.repeat(32) })).toThrow(/UPN_KEY is required/);
    const secrets = { JWT_SECRET: 'x'.repeat(32), PUPIL_KEY: 'y'.repeat(32), UPN_KEY: 'z'.repeat(32) };
    expect(() => loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, ...secrets, AUTH_MODE: 'dev' })).toThrow(/never allowed/);
    expect(loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, ...secrets }).pupilKey).toBe('y'.repeat(32));
  });

  it('says which variable is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATA_DIR: dataDir })).toThrow(/PORT/);
    expect(() => loadConfig({ SIMULATOR: 'yes', DATA_DIR: dataDir })).toThrow(/SIMULATOR/);
    expect(() => loadConfig({ QUEUE_PREFIX: 'a:b', DATA_DIR: dataDir })).toThrow(/QUEUE_PREFIX/);
  });
});
