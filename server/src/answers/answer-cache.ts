import { Injectable } from '@nestjs/common';
import { viewerClass } from '../auth/access.js';
import type { Principal } from '../auth/principal.js';
import { todayInLondon } from '../common/dates.js';

/** The school days an answer read: both ends included; an open end reaches as far as the data. */
export interface DaySpan {
  from?: string;
  to?: string;
}

interface Entry {
  /** The change count when its computation started: a change after that to a day it read makes it stale. */
  seq: number;
  span: DaySpan;
  /** Today in England when it was computed: a question's default period may end today. */
  today: string;
  answer: Promise<unknown>;
  settled: boolean;
}

/** How many answers were computed, given from the cache, or joined to a computation in flight. */
export interface AnswerCounts {
  computed: number;
  cached: number;
  joined: number;
}

/** At most this many answers are kept (memory); the longest computed go first. */
const MAX_ENTRIES = 1_000;

/**
 * Answers shared across viewers: one computation per distinct question and viewer class (`viewerClass`, beside the
 * access matrix, so that whatever one class may see is never given to another), kept until a roll-up changes a day it
 * read (the live service reports each roll-up's days, and any other write makes every answer stale). A question asked
 * again while its answer is being computed waits for that computation rather than starting another.
 */
@Injectable()
export class AnswerCache {
  private seq = 0;
  /** Each day's last change. */
  private readonly days = new Map<string, number>();
  /** The last change not tied to days (the school list, targets, programmes). */
  private everything = 0;
  private readonly entries = new Map<string, Entry>();
  readonly counts: AnswerCounts = { computed: 0, cached: 0, joined: 0 };

  /** A roll-up rewrote these days. */
  changedDays(dates: Iterable<string>): void {
    const seq = ++this.seq;
    for (const date of dates) this.days.set(date, seq);
  }

  /** Something every answer may have read changed. */
  changedAll(): void {
    this.everything = ++this.seq;
    this.entries.clear();
  }

  /** The answer to `question` (its route and normalised parameters) for `viewer`'s class, computed if none is fresh. */
  answer<T>(question: string, viewer: Principal | undefined, span: DaySpan, compute: () => Promise<T>): Promise<T> {
    const key = `${viewerClass(viewer)} ${question}`;
    const found = this.entries.get(key);
    if (found && found.today === todayInLondon() && !this.changedSince(found.seq, found.span)) {
      this.counts[found.settled ? 'cached' : 'joined']++;
      return found.answer as Promise<T>;
    }
    this.counts.computed++;
    const entry: Entry = { seq: this.seq, span, today: todayInLondon(), answer: compute(), settled: false };
    this.entries.delete(key); // re-inserted last: the map's order is the order of computation
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    entry.answer.then(
      () => (entry.settled = true),
      // A refusal or a failure is not kept: the next viewer asks again.
      () => this.entries.get(key) === entry && this.entries.delete(key),
    );
    return entry.answer as Promise<T>;
  }

  private changedSince(seq: number, { from, to }: DaySpan): boolean {
    if (this.everything > seq) return true;
    if (this.seq === seq) return false;
    for (const [date, changed] of this.days)
      if (changed > seq && (!from || date >= from) && (!to || date <= to)) return true;
    return false;
  }
}
