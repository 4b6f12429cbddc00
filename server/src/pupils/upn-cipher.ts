// UPNs at rest: AES-256-GCM with a random 96-bit IV per value, stored as base64(iv | tag | ciphertext). The key is
// SHA-256 of the UPN_KEY secret. A tampered value or a wrong key fails to decrypt rather than giving a wrong UPN.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export class UpnCipher {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHash('sha256').update(secret).digest();
  }

  encrypt(upn: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const ciphertext = Buffer.concat([cipher.update(upn, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64');
  }

  decrypt(stored: string): string {
    const bytes = Buffer.from(stored, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
  }
}
