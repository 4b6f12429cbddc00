import { Redis } from 'ioredis';

/** A BullMQ connection. Workers block on Redis, so they must not give up on a slow command. */
export function redisConnection(url: string, purpose: 'queue' | 'worker'): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: purpose === 'worker' ? null : 1,
    enableOfflineQueue: purpose === 'worker',
    lazyConnect: false,
  });
}
