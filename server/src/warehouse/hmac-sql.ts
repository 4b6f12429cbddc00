import { createHash } from 'node:crypto';
import { Secret } from './warehouse.js';

/**
 * HMAC-SHA256 in ClickHouse SQL as RFC 2104 defines it: SHA-256 of the outer padded key and the SHA-256 of the inner
 * padded key and the message. The pads are made once from the key (hmacParams) and bound as secrets named
 * `{name}_inner` and `{name}_outer`. The same bytes as ClickHouse's `HMAC('SHA256', message, key)`, which sets up a
 * keyed context for every row: two SHA-256s cost a fifth of it (32,000 UPNs: 14 ms against 71-90 ms).
 */
export function hmacSql(message: string, name: string): string {
  return `SHA256(concat(unhex({${name}_outer:String}), SHA256(concat(unhex({${name}_inner:String}), ${message}))))`;
}

/** The parameters of hmacSql's `name` for a key: its inner and outer pads in hex, bound as secrets. */
export function hmacParams(name: string, key: Buffer): Record<string, Secret> {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  const pad = (byte: number) => new Secret(Buffer.from(block.map((b) => b ^ byte)).toString('hex'));
  return { [`${name}_inner`]: pad(0x36), [`${name}_outer`]: pad(0x5c) };
}
