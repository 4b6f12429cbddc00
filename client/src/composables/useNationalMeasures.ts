// The national page's figures: each school day (the headline's days and the trend), the year to date by phase and the
// same point last year, the regions, every LA, the weeks, and which schools have sent registers.
import { computed, ref, shallowRef } from 'vue';
import { apiGet } from '../modules/api.ts';
import { numeric } from '../modules/format.ts';
import type { Coverage, MeasuresRow, Status } from '../modules/types.ts';
import type { LiveMeasures } from '@contract/live-events.ts';
import { useStatusStore } from './useStatus.ts';

/** A school day's figures and whether they may still move. */
export interface Day {
  date: string;
  row: MeasuresRow;
  /** Sessions still coded N (no reason yet): counted as unauthorised absence until the school records a reason. */
  noReasonYet: number;
  /** Today's registers are still arriving, or some of the day's marks have no reason yet. */
  provisional: boolean;
}

/** The same date a year before ('2026-02-29' has none: 28 February). */
export function yearBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const day = Math.min(d, new Date(Date.UTC(y - 1, m, 0)).getUTCDate());
  return `${y - 1}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * The headline's days are asked first over this many calendar days (the last settled day and today, over a two-week
 * break too), the year's days after the key figures: a year of days costs the engine several times as much.
 */
const HEADLINE_DAYS = 31;

/** The date `days` calendar days before today, as the browser's clock has it (a window's start, not a school day). */
function daysBefore(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

export function useNationalMeasures() {
  const statusStore = useStatusStore();
  const days = shallowRef<Day[]>([]);
  const phases = shallowRef<MeasuresRow[]>([]);
  const lastYear = shallowRef<MeasuresRow[]>([]);
  const regions = shallowRef<MeasuresRow[]>([]);
  const localAuthorities = shallowRef<MeasuresRow[]>([]);
  const weeks = shallowRef<MeasuresRow[]>([]);
  const coverage = shallowRef<Coverage | null>(null);
  const loading = ref(true);
  const error = ref<string | null>(null);

  let generation = 0;

  async function refresh(): Promise<void> {
    const mine = ++generation;
    // A newer refresh may start meanwhile: then its answers win and these are dropped.
    const show = <T>(request: Promise<T>, apply: (answer: T) => void) =>
      request.then((answer) => mine === generation && apply(answer));
    const national = { level: 'national' } as const;
    try {
      // The key figures first (the headline's last weeks and the year to date), then the rest, each shown as it comes:
      // the engine answers one question at a time, and questions asked together finish together.
      const status = statusStore.refresh();
      const showDays = (answer: Promise<readonly [Status | null, { rows: MeasuresRow[] }]>) =>
        show(answer, ([s, daily]) => {
          const today = s?.today ?? '';
          days.value = daily.rows
            .map((row) => ({
              row,
              date: String(row.attendance_date),
              noReasonYet: numeric(row.reason_n_no_reason_yet) ?? 0,
            }))
            .sort((a, b) => a.date.localeCompare(b.date))
            .map((d) => ({ ...d, provisional: d.date >= today || d.noReasonYet > 0 }));
        });
      const daily = (from?: string) =>
        apiGet('/api/v1/measures', { ...national, phase: 'Total', frame: 'daily', from });
      await Promise.all([
        // The last weeks only while no day is shown: a refresh keeps the days it has until the year's come.
        days.value.length ? status : showDays(Promise.all([status, daily(daysBefore(HEADLINE_DAYS))])),
        show(apiGet('/api/v1/measures', national), (ytd) => (phases.value = ytd.rows)),
      ]);
      if (mine !== generation) return;
      loading.value = false; // the key figures are in: a part still empty says so rather than "Loading…"
      await Promise.all([
        showDays(Promise.all([status, daily()])), // every day of the year, for the trend and the year's open days
        show(apiGet('/api/v1/measures', { level: 'la', phase: 'Total' }), (las) => (localAuthorities.value = las.rows)),
        show(apiGet('/api/v1/measures', { level: 'regional', phase: 'Total' }), (r) => (regions.value = r.rows)),
        show(
          apiGet('/api/v1/measures', { ...national, phase: 'Total', frame: 'weekly' }),
          (w) => (weeks.value = w.rows),
        ),
        show(apiGet('/api/v1/status/coverage'), (c) => (coverage.value = c)),
        show(
          status.then((s) =>
            // The year to date runs to today: last year's, to the same date a year before.
            s
              ? apiGet('/api/v1/measures', {
                  ...national,
                  from: yearBefore(s.academicYearStart),
                  to: yearBefore(s.today),
                })
              : null,
          ),
          (answer) => (lastYear.value = answer?.rows ?? []),
        ),
      ]);
      if (mine === generation) error.value = statusStore.error;
    } catch (e) {
      if (mine === generation) error.value = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** A push's day (England, all phases) patched into the days, or added as a new one: no request. */
  function apply(push: LiveMeasures): void {
    if (push.level !== 'national') return;
    const found = days.value.find((d) => d.date === push.date);
    const row = { ...(found?.row ?? { attendance_date: push.date }), ...push.figures };
    const noReasonYet = numeric(row.reason_n_no_reason_yet) ?? 0;
    const day = {
      date: push.date,
      row,
      noReasonYet,
      provisional: push.date >= (statusStore.status?.today ?? '') || noReasonYet > 0,
    };
    days.value = [...days.value.filter((d) => d.date !== push.date), day].sort((a, b) => a.date.localeCompare(b.date));
  }

  /**
   * The latest day whose figures have settled (before the current school day, every mark with a reason), else the
   * latest before it.
   */
  const headlineDay = computed(() => {
    const current = statusStore.status?.schoolDay ?? '';
    const past = days.value.filter((d) => d.date < current);
    return past.findLast((d) => !d.provisional) ?? past.at(-1) ?? null;
  });
  /** The current school day's figures (today's, or on a weekend or holiday the last school day's). */
  const today = computed(() => days.value.find((d) => d.date === statusStore.status?.schoolDay) ?? null);

  return {
    days,
    headlineDay,
    today,
    phases,
    lastYear,
    regions,
    localAuthorities,
    weeks,
    coverage,
    loading,
    error,
    refresh,
    apply,
  };
}
