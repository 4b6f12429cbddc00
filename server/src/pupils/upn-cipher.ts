// UPNs and pupils' names at rest: AES-256-GCM with a random 96-bit IV per value, stored as base64(iv | tag |
// ciphertext). The key is SHA-256 of the UPN_KEY secret. A tampered value or a wrong key fails to decrypt rather than
// giving a wrong UPN.
// IVs are drawn from the CSPRNG 4,096 at a time: a call per pupil costs more than the encryption it feeds.
// Registers are sealed the same way in ClickHouse (sealedSql), which this class decrypts like its own.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { hmacSql } from '../warehouse/hmac-sql.js';

export class UpnCipher {
  private readonly key: Buffer;
  private ivs = Buffer.alloc(0);
  private next = 0;

  constructor(secret: string) {
    this.key = UpnCipher.keyOf(secret);
  }

  /** The AES-256 key of a UPN_KEY secret. */
  static keyOf(secret: string): Buffer {
    return createHash('sha256').update(secret).digest();
  }

  encrypt(upn: string): string {
    if (this.next + 12 > this.ivs.length) {
      this.ivs = randomBytes(12 * 4096);
      this.next = 0;
    }
    const iv = this.ivs.subarray(this.next, (this.next += 12));
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

/**
 * UpnCipher.encrypt in ClickHouse: `plaintext` (an SQL expression) sealed with AES-256-GCM into the same
 * base64(iv | tag | ciphertext). Parameters: `{upn_key:String}`, the key in hex (UpnCipher.keyOf); `iv_secret`'s
 * (hmacParams), 32 random bytes drawn afresh for each statement. The IV is the first 12 bytes of HMAC-SHA256(`ivSeed`)
 * under that secret: `ivSeed` (an SQL expression) must differ for every value sealed in the statement, so no IV is used
 * twice (the engine has no cryptographic random source of its own). `alias` names the statement's intermediate
 * columns.
 */
export function sealedSql(plaintext: string, ivSeed: string, alias: string): string {
  const iv = `${alias}_iv`;
  const sealed = `${alias}_sealed`;
  return `base64Encode(concat(
    substring(${hmacSql(ivSeed, 'iv_secret')}, 1, 12) AS ${iv},
    substring(encrypt('aes-256-gcm', ${plaintext}, unhex({upn_key:String}), ${iv}) AS ${sealed}, length(${sealed}) - 15),
    substring(${sealed}, 1, length(${sealed}) - 16)))`;
}
