import type { Principal } from '../auth/principal.js';
import { AnswerCache } from './answer-cache.js';

const camden: Principal = { sub: 'a', role: 'la', scope: ['202'] };
const camdenToo: Principal = { sub: 'b', role: 'la', scope: ['202'] };
const dfe: Principal = { sub: 'c', role: 'dfe', scope: '*' };

describe('AnswerCache', () => {
  it('computes a question once per viewer class, and never gives one class the answer of another', async () => {
    const cache = new AnswerCache();
    const asked: string[] = [];
    const ask = (viewer?: Principal) =>
      cache.answer('q', viewer, {}, async () => {
        asked.push(viewer?.sub ?? 'public');
        return `for ${viewer?.sub ?? 'public'}`;
      });
    expect(await ask(camden)).toBe('for a');
    expect(await ask(camdenToo)).toBe('for a');
    expect(await ask()).toBe('for public');
    expect(await ask(dfe)).toBe('for c');
    expect(asked).toEqual(['a', 'public', 'c']);
  });

  it('joins identical questions in flight, and forgets a failure', async () => {
    const cache = new AnswerCache();
    let computed = 0;
    const slow = () =>
      cache.answer('q', undefined, {}, async () => {
        computed++;
        await new Promise((r) => setTimeout(r, 20));
        return computed;
      });
    expect(await Promise.all([slow(), slow(), slow()])).toEqual([1, 1, 1]);
    expect(cache.counts).toEqual({ computed: 1, cached: 0, joined: 2 });
    await expect(cache.answer('f', undefined, {}, () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(await cache.answer('f', undefined, {}, async () => 'yes')).toBe('yes');
  });

  it('keeps an answer until a day it read changes, or anything does', async () => {
    const cache = new AnswerCache();
    let n = 0;
    const ask = (question: string, from?: string, to?: string) =>
      cache.answer(question, undefined, { from, to }, async () => `${question} ${++n}`);
    expect(await ask('march', '2026-03-01', '2026-03-31')).toBe('march 1');
    expect(await ask('year')).toBe('year 2');
    cache.changedDays(['2026-04-02']);
    expect(await ask('march', '2026-03-01', '2026-03-31')).toBe('march 1');
    expect(await ask('year')).toBe('year 3');
    cache.changedDays(['2026-03-31']);
    expect(await ask('march', '2026-03-01', '2026-03-31')).toBe('march 4');
    cache.changedAll();
    expect(await ask('march', '2026-03-01', '2026-03-31')).toBe('march 5');
  });

  it('does not keep an answer whose day changed while it was being computed', async () => {
    const cache = new AnswerCache();
    let n = 0;
    const first = cache.answer('day', undefined, { from: '2026-03-10', to: '2026-03-10' }, async () => {
      await new Promise((r) => setTimeout(r, 20));
      return ++n;
    });
    cache.changedDays(['2026-03-10']);
    expect(await first).toBe(1);
    expect(await cache.answer('day', undefined, { from: '2026-03-10', to: '2026-03-10' }, async () => ++n)).toBe(2);
  });
});
