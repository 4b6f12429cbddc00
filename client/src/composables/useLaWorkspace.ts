// Everything the LA page shows, loaded together and reloaded on live pushes: the LA against its region, England and
// neighbours (latest day, this week, year to date), the weekly trend, one breakdown's cohorts, children with a social
// worker against the LA's targets, its schools and its pupils' home areas. Parts a viewer may not see say why.
import { ref, shallowRef, type Ref } from 'vue';
import { apiGet, isRefusal } from '../modules/api.ts';
import type {
  Alerts,
  Breakdown,
  LaCohorts,
  LaComparison,
  LaNeighbourhoods,
  LaSchools,
  LaTarget,
  Level,
  MeasuresResult,
  Phase,
} from '../modules/types.ts';
import { useStatusStore } from './useStatus.ts';

export interface Filters {
  code: string;
  phase: Phase;
  breakdown: Breakdown;
}

/**
 * An answer, or why there is none (a viewer without the rights gets the server's message; the API client does not ask
 * again until the viewer changes).
 */
export type Part<T> = { data: T; error: null } | { data: null; error: string };

function mondayOf(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

async function part<T>(request: Promise<T>): Promise<Part<T>> {
  try {
    return { data: await request, error: null };
  } catch (e) {
    if (isRefusal(e)) return { data: null, error: e.message };
    throw e;
  }
}

export function useLaWorkspace(filters: Ref<Filters>) {
  const statusStore = useStatusStore();
  const latestDate = ref<string | null>(null);
  const today = shallowRef<LaComparison | null>(null);
  const week = shallowRef<LaComparison | null>(null);
  const yearToDate = shallowRef<LaComparison | null>(null);
  const weekly = shallowRef<{ la: MeasuresResult; region: MeasuresResult; england: MeasuresResult } | null>(null);
  const cohorts = shallowRef<LaCohorts | null>(null);
  const socialWorker = shallowRef<{ cin: LaCohorts; cla: LaCohorts } | null>(null);
  const targets = shallowRef<Part<LaTarget[]> | null>(null);
  const schools = shallowRef<Part<LaSchools> | null>(null);
  const neighbourhoods = shallowRef<LaNeighbourhoods | null>(null);
  const alerts = shallowRef<Part<Alerts> | null>(null);
  const loading = ref(true);
  const error = ref<string | null>(null);
  let generation = 0;

  async function refresh(): Promise<void> {
    const mine = ++generation;
    const { code, phase, breakdown } = filters.value;
    try {
      const status = await statusStore.refresh();
      const date = status?.latestDate ?? null;
      const weeklyOf = (level: Level, area?: string) =>
        apiGet('/api/v1/measures', { level, code: area, phase, frame: 'weekly' });
      const [day, thisWeek, ytd, laWeekly, cohortAnswer, cin, cla, targetAnswer, schoolAnswer, areas, alertAnswer] =
        await Promise.all([
          date ? apiGet('/api/v1/las/:code/comparison', { code, phase, from: date, to: date }) : null,
          date ? apiGet('/api/v1/las/:code/comparison', { code, phase, from: mondayOf(date), to: date }) : null,
          apiGet('/api/v1/las/:code/comparison', { code, phase }),
          weeklyOf('la', code),
          apiGet('/api/v1/las/:code/cohorts', { code, breakdown }),
          apiGet('/api/v1/las/:code/cohorts', { code, breakdown: 'cin' }),
          apiGet('/api/v1/las/:code/cohorts', { code, breakdown: 'cla' }),
          part(apiGet('/api/v1/las/:code/targets', { code })),
          part(apiGet('/api/v1/las/:code/schools', { code })),
          apiGet('/api/v1/las/:code/neighbourhoods', { code }),
          part(apiGet('/api/v1/alerts', { la: code })),
        ]);
      const [regionWeekly, englandWeekly] = await Promise.all([
        weeklyOf('regional', ytd.la.regionCode),
        weeklyOf('national'),
      ]);
      if (mine !== generation) return; // A newer refresh started meanwhile: its answer wins.
      latestDate.value = date;
      today.value = day;
      week.value = thisWeek;
      yearToDate.value = ytd;
      weekly.value = { la: laWeekly, region: regionWeekly, england: englandWeekly };
      cohorts.value = cohortAnswer;
      socialWorker.value = { cin, cla };
      targets.value = targetAnswer;
      schools.value = schoolAnswer;
      neighbourhoods.value = areas;
      alerts.value = alertAnswer;
      error.value = null;
    } catch (e) {
      if (mine === generation) error.value = e instanceof Error ? e.message : String(e);
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  return {
    latestDate,
    today,
    week,
    yearToDate,
    weekly,
    cohorts,
    socialWorker,
    targets,
    schools,
    neighbourhoods,
    alerts,
    loading,
    error,
    refresh,
  };
}
