// Everything the LA page shows, each part drawn as its answer comes, reloaded on live pushes: the LA against its
// region, England and neighbours (latest day, this week, year to date), the weekly trend, one breakdown's cohorts,
// children with a social worker against the LA's targets, its schools and its pupils' home areas. Parts a viewer may
// not see say why.
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
import type { LiveMeasures } from '@contract/live-events.ts';
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

  /** Everything, as the page opens or its filters change. */
  function refresh(): Promise<void> {
    return load(true);
  }

  /** After live pushes: what a push cannot carry (the targets change only when this page sets them). */
  function refreshLive(): Promise<void> {
    return load(false);
  }

  /**
   * A push's latest-day figures (the LA's, its region's and England's, all phases) patched into the day's comparison,
   * when they are its day: no request.
   */
  function apply(push: LiveMeasures): void {
    const day = today.value;
    const { code, phase } = filters.value;
    if (!day || push.level !== 'la' || push.code !== code || phase !== 'Total') return;
    if (day.from !== push.date || day.to !== push.date) return;
    today.value = {
      ...day,
      row: { ...day.row, ...push.figures },
      region: push.region ? { ...day.region, ...push.region } : day.region,
      england: push.england ? { ...day.england, ...push.england } : day.england,
    };
  }

  async function load(withTargets: boolean): Promise<void> {
    const mine = ++generation;
    const { code, phase, breakdown } = filters.value;
    // Each answer drawn as it comes; a newer refresh may start meanwhile: then its answers win and these are dropped.
    const show = <T>(request: Promise<T>, apply: (answer: T) => void) =>
      request.then((answer) => mine === generation && apply(answer));
    const weeklyOf = (level: Level, area?: string) =>
      apiGet('/api/v1/measures', { level, code: area, phase, frame: 'weekly' });
    try {
      // The key figure (the year to date against the region and England) first, then the rest, each drawn as it comes:
      // the engine answers one question at a time, and questions asked together finish together. The latest day and
      // this week need the status's latest date.
      const ytd = apiGet('/api/v1/las/:code/comparison', { code, phase });
      const status = statusStore.refresh();
      await show(ytd, (answer) => {
        yearToDate.value = answer;
        loading.value = false;
      });
      if (mine !== generation) return;
      await Promise.all([
        show(
          status.then((s) => {
            const date = s?.latestDate ?? null;
            return Promise.all([
              date,
              date ? apiGet('/api/v1/las/:code/comparison', { code, phase, from: date, to: date }) : null,
              date ? apiGet('/api/v1/las/:code/comparison', { code, phase, from: mondayOf(date), to: date }) : null,
            ]);
          }),
          ([date, day, thisWeek]) => {
            latestDate.value = date;
            today.value = day;
            week.value = thisWeek;
          },
        ),
        show(
          Promise.all([
            weeklyOf('la', code),
            ytd.then((answer) => weeklyOf('regional', answer.la.regionCode)),
            weeklyOf('national'),
          ]),
          ([la, region, england]) => (weekly.value = { la, region, england }),
        ),
        show(apiGet('/api/v1/las/:code/cohorts', { code, breakdown }), (answer) => (cohorts.value = answer)),
        show(
          Promise.all([
            apiGet('/api/v1/las/:code/cohorts', { code, breakdown: 'cin' }),
            apiGet('/api/v1/las/:code/cohorts', { code, breakdown: 'cla' }),
          ]),
          ([cin, cla]) => (socialWorker.value = { cin, cla }),
        ),
        withTargets && show(part(apiGet('/api/v1/las/:code/targets', { code })), (answer) => (targets.value = answer)),
        show(part(apiGet('/api/v1/las/:code/schools', { code })), (answer) => (schools.value = answer)),
        show(apiGet('/api/v1/las/:code/neighbourhoods', { code }), (answer) => (neighbourhoods.value = answer)),
        show(part(apiGet('/api/v1/alerts', { la: code })), (answer) => (alerts.value = answer)),
      ]);
      if (mine === generation) error.value = null;
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
    refreshLive,
    apply,
  };
}
