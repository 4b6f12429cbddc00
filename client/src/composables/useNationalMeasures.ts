// The national page's figures: latest school day, year to date, every LA (year to date) and the daily trend.
import { ref, shallowRef } from 'vue';
import { apiGet } from '../modules/api.ts';
import type { MeasuresRow } from '../modules/types.ts';
import { useStatusStore } from './useStatus.ts';

export function useNationalMeasures() {
  const statusStore = useStatusStore();
  const today = shallowRef<MeasuresRow | null>(null);
  const yearToDate = shallowRef<MeasuresRow | null>(null);
  const localAuthorities = shallowRef<MeasuresRow[]>([]);
  const trend = shallowRef<MeasuresRow[]>([]);
  const loading = ref(true);
  const error = ref<string | null>(null);
  /** The day `today` describes: set with the figures, so a new date never shows beside the old day's numbers. */
  const latestDate = ref<string | null>(null);

  let generation = 0;

  async function refresh(): Promise<void> {
    const mine = ++generation;
    // A newer refresh may start meanwhile: then its answers win and these are dropped.
    const show = <T>(request: Promise<T>, apply: (answer: T) => void) =>
      request.then((answer) => mine === generation && apply(answer));
    const national = { level: 'national', phase: 'Total' } as const;
    try {
      // Asked at once and each shown as it comes; only the latest day's figures wait for the status (which says which
      // day that is).
      const latest = statusStore.refresh().then(async (status) => {
        const date = status?.latestDate ?? null;
        return { date, day: date ? await apiGet('/api/v1/measures', { ...national, from: date, to: date }) : null };
      });
      await Promise.all([
        show(latest, ({ date, day }) => {
          latestDate.value = date;
          today.value = day?.rows[0] ?? null;
        }),
        show(apiGet('/api/v1/measures', national), (ytd) => (yearToDate.value = ytd.rows[0] ?? null)),
        show(apiGet('/api/v1/measures', { level: 'la', phase: 'Total' }), (las) => (localAuthorities.value = las.rows)),
        show(apiGet('/api/v1/measures', { ...national, frame: 'daily' }), (daily) => (trend.value = daily.rows)),
      ]);
      if (mine === generation) error.value = statusStore.error;
    } catch (e) {
      if (mine === generation) error.value = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  return { today, yearToDate, localAuthorities, trend, latestDate, loading, error, refresh };
}
