// The national page's figures: latest school day, year to date, every LA (year to date) and the daily trend.
import { ref, shallowRef } from 'vue';
import { apiGet } from '../modules/api.ts';
import type { MeasuresResult, MeasuresRow } from '../modules/types.ts';
import { useStatusStore } from '../stores/status.ts';

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
    try {
      const status = await statusStore.refresh();
      const date = status?.latestDate ?? null;
      const national = { level: 'national', phase: 'Total' };
      const [day, ytd, las, daily] = await Promise.all([
        date ? apiGet<MeasuresResult>('/api/v1/measures', { ...national, from: date, to: date }) : null,
        apiGet<MeasuresResult>('/api/v1/measures', national),
        apiGet<MeasuresResult>('/api/v1/measures', { level: 'la', phase: 'Total' }),
        apiGet<MeasuresResult>('/api/v1/measures', { ...national, frame: 'daily' }),
      ]);
      if (mine !== generation) return; // A newer refresh started meanwhile: its answer wins.
      latestDate.value = date;
      today.value = day?.rows[0] ?? null;
      yearToDate.value = ytd.rows[0] ?? null;
      localAuthorities.value = las.rows;
      trend.value = daily.rows;
      error.value = statusStore.error;
    } catch (e) {
      if (mine === generation) error.value = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  return { today, yearToDate, localAuthorities, trend, latestDate, loading, error, refresh };
}
