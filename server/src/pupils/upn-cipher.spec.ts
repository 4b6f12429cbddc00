import { UpnCipher } from './upn-cipher.js';

describe('UPN encryption', () => {
  const cipher = new UpnCipher('a-secret-of-at-least-32-characters!!');

  it('gives back the UPN, and never the same stored text twice (a random IV each time)', () => {
    const a = cipher.encrypt('A123456789012');
    const b = cipher.encrypt('A123456789012');
    expect(a).not.toBe(b);
    expect(a).not.toContain('A123456789012');
    expect(cipher.decrypt(a)).toBe('A123456789012');
    expect(cipher.decrypt(b)).toBe('A123456789012');
  });

  it('refuses a tampered value or the wrong key', () => {
    const stored = Buffer.from(cipher.encrypt('A123456789012'), 'base64');
    stored[stored.length - 1] ^= 1;
    expect(() => cipher.decrypt(stored.toString('base64'))).toThrow();
    expect(() => new UpnCipher('another-secret-of-at-least-32-chars!!').decrypt(cipher.encrypt('A1'))).toThrow();
  });
});
