import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { requireAccess, seesPupilsInLa, seesSchoolsOfLa } from '../auth/access.js';
import { inScope, type Principal } from '../auth/principal.js';
import { academicYearStart, todayInLondon } from '../common/dates.js';
import { MeasuresRepository } from '../rollup/measures.repository.js';
import { DisclosureService } from '../disclosure/disclosure.service.js';
import { areaKey, isSensitive } from '../disclosure/pattern.js';
import { MeasuresService } from '../measures/measures.service.js';
import { LA_BY_CODE, LOCAL_AUTHORITIES } from '../reference/local-authorities.js';
import { SchoolsRepository } from '../reference/schools.repository.js';
import { WorkspaceRepository, type HomeAreaCounts } from './workspace.repository.js';
import type {
  CohortGap,
  LaCohorts,
  LaComparison,
  LaNeighbourhoods,
  LaRanking,
  LaSchools,
  LaTarget,
  LocalAuthority,
  Neighbourhood,
  RankedMeasure,
  TargetCohort,
} from '../contract/api.js';
import { combine, type EesRow } from '../contract/ees.js';
import { type Breakdown, BREAKDOWNS, type PhaseName } from '../contract/vocabulary.js';

export interface Period {
  from?: string;
  to?: string;
}

const RANKED: RankedMeasure[] = ['overall_absence_perc', 'pa_perc'];
const LA_BY_GSS = new Map(LOCAL_AUTHORITIES.map((la) => [la.gss, la]));

/** The gaps that matter to an LA, in percentage points of overall absence: first cohort minus second. */
const GAPS: Partial<Record<Breakdown, { name: string; cohorts: [string, string] }[]>> = {
  fsm: [{ name: 'FSM gap', cohorts: ['FSM eligible', 'Not known to be FSM eligible'] }],
  sen: [
    { name: 'EHC plan gap', cohorts: ['EHC plan', 'No SEN'] },
    { name: 'SEN support gap', cohorts: ['SEN support', 'No SEN'] },
  ],
  cin: [{ name: 'Child in need gap', cohorts: ['Child in need', 'Not child in need'] }],
  cla: [{ name: 'Looked after gap', cohorts: ['Looked after', 'Not looked after'] }],
};

/**
 * The LA strategic lead's workspace: the LA against its region, England and its neighbours, its cohorts, schools and
 * neighbourhoods. Every figure comes from the measures' one query layer (or, for home areas, the same roll-ups and
 * rules), so the workspace and the export cannot disagree.
 */
@Injectable()
export class WorkspaceService {
  constructor(
    private readonly measures: MeasuresService,
    private readonly measuresRepository: MeasuresRepository,
    private readonly repository: WorkspaceRepository,
    private readonly schoolList: SchoolsRepository,
    private readonly disclosure: DisclosureService,
  ) {}

  async comparison(code: string, period: Period, phase: PhaseName, viewer?: Principal): Promise<LaComparison> {
    const la = laOf(code);
    const query = { from: period.from, to: period.to, phase };
    const [las, region, england] = await Promise.all([
      this.measures.measures({ ...query, level: 'la' }, viewer),
      this.measures.measures({ ...query, level: 'regional', code: la.regionCode }, viewer),
      this.measures.measures({ ...query, level: 'national' }, viewer),
    ]);
    const byCode = new Map(las.rows.map((row) => [String(row.old_la_code), row]));
    const rowOf = (other: LocalAuthority) => byCode.get(other.code) ?? {};
    const statNeighbours = la.statNeighbours
      .map((gss, i) => ({ la: LA_BY_GSS.get(gss)!, closeness: i + 1 }))
      .map((n) => ({ ...n, row: rowOf(n.la) }));
    return {
      la,
      from: las.from,
      to: las.to,
      phase,
      row: rowOf(la),
      region: region.rows[0] ?? {},
      england: england.rows[0] ?? {},
      statNeighbours,
      statNeighbourGroup: (({ row, rows }) => ({ row, las: rows }))(combine(statNeighbours.map((n) => n.row))),
      geoNeighbours: la.geoNeighbours.map((gss) => LA_BY_GSS.get(gss)!).map((n) => ({ la: n, row: rowOf(n) })),
      rankings: RANKED.map((measure) => ranking(las.rows, la.code, measure)),
    };
  }

  async cohorts(code: string, breakdown: Breakdown, period: Period, viewer?: Principal): Promise<LaCohorts> {
    const la = laOf(code);
    const query = { from: period.from, to: period.to, phase: 'Total' as const, breakdown };
    const neighbours = new Set(la.statNeighbours.map((gss) => LA_BY_GSS.get(gss)!.code));
    const [las, england] = await Promise.all([
      this.measures.measures({ ...query, level: 'la', areas: [la.code, ...neighbours] }, viewer),
      this.measures.measures({ ...query, level: 'national' }, viewer),
    ]);
    const labels = [...new Set([...las.rows, ...england.rows].map((row) => String(row.breakdown)))].sort();
    const cohortOf = (rows: EesRow[], label: string) => rows.filter((row) => row.breakdown === label);
    const cohorts = labels.map((label) => {
      const here = cohortOf(las.rows, label);
      return {
        breakdown: label,
        la: here.find((row) => row.old_la_code === la.code) ?? {},
        statNeighbours: combine(here.filter((row) => neighbours.has(String(row.old_la_code)))).row,
        england: cohortOf(england.rows, label)[0] ?? {},
      };
    });
    const gaps: CohortGap[] = (GAPS[breakdown] ?? []).map(({ name, cohorts: pair }) => {
      const [a, b] = pair.map((label) => cohorts.find((c) => c.breakdown === label));
      const gap = (side: 'la' | 'statNeighbours' | 'england') =>
        difference(rateOf(a?.[side].overall_absence_perc), rateOf(b?.[side].overall_absence_perc));
      return { name, cohorts: pair, la: gap('la'), statNeighbours: gap('statNeighbours'), england: gap('england') };
    });
    return { la, from: las.from, to: las.to, breakdown, topic: BREAKDOWNS[breakdown].topic, cohorts, gaps };
  }

  async schools(code: string, period: Period, viewer?: Principal): Promise<LaSchools> {
    const la = laOf(code);
    requireAccess(
      seesSchoolsOfLa(viewer, la.code),
      viewer,
      `school figures for ${la.name} are for its own LA users, DfE and Ofsted`,
    );
    const query = { level: 'school' as const, la: la.code, from: period.from, to: period.to };
    // Without a phase each school has its own phase's row (and Total, which repeats it): one row per school.
    const own = (rows: EesRow[]) => rows.filter((row) => row.education_phase !== 'Total');
    const [register, totals, weekly, latestDate] = await Promise.all([
      this.schoolList.list(),
      this.measures.measures(query, viewer),
      this.measures.measures({ ...query, frame: 'weekly' }, viewer),
      this.measuresRepository.latestDate(),
    ]);
    const schools = [...register.values()]
      .filter((s) => s.laCode === la.code)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const submitted = latestDate ? await this.repository.submitted(la.code, latestDate) : new Set<number>();
    const periodRow = new Map(own(totals.rows).map((row) => [Number(row.school_urn), row]));
    const weeks = [...new Set(weekly.rows.map((row) => String(row.week_commencing)))].sort();
    const weekRates = new Map(
      own(weekly.rows).map((row) => [`${row.school_urn}|${row.week_commencing}`, rateOf(row.overall_absence_perc)]),
    );
    return {
      la,
      from: totals.from,
      to: totals.to,
      latestDate,
      weeks,
      schools: schools.map((school) => {
        const series = weeks.map((week) => weekRates.get(`${school.urn}|${week}`) ?? null);
        return {
          urn: school.urn,
          name: school.name,
          phase: school.phase,
          type: school.type,
          trustCode: school.trustCode,
          trustName: school.trustName,
          submittedLatest: submitted.has(school.urn),
          row: periodRow.get(school.urn) ?? null,
          weekly: series,
          change: series.length >= 2 ? difference(series.at(-1), series.at(-2)) : null,
        };
      }),
    };
  }

  async neighbourhoods(code: string, period: Period, viewer?: Principal): Promise<LaNeighbourhoods> {
    const la = laOf(code);
    const to = period.to ?? todayInLondon();
    const from = period.from ?? academicYearStart(to);
    const counts = await this.repository.homeAreas(la.code, from, to);
    const places = await this.repository.areasOf(counts.map((c) => c.lsoa).filter(Boolean));
    // LSOAs are grouped to the MSOA GIAS places them in (the MSOA code of a school in the LSOA), named as GIAS names
    // that MSOA, else by its code; an LSOA no school places stands alone under its GIAS name or its code.
    const groups = new Map<string, { code: string | null; lsoas: string[]; counts: HomeAreaCounts }>();
    for (const c of counts) {
      const place = c.lsoa ? places.get(c.lsoa) : undefined;
      const code = place?.msoa || c.lsoa || null;
      const name = place?.msoa ? place.msoa_name || place.msoa : (place?.lsoa_name ?? '') || c.lsoa || NOT_KNOWN;
      const group = groups.get(name) ?? {
        code,
        lsoas: [],
        counts: { lsoa: '', pupils: 0, possible: 0, absent: 0, persistent: 0, urns: [] },
      };
      if (c.lsoa) group.lsoas.push(c.lsoa);
      addTo(group.counts, c);
      groups.set(name, group);
    }
    const suppressed = !seesPupilsInLa(viewer, la.code);
    const byAbsence = (a: Neighbourhood, b: Neighbourhood) =>
      Number(b.overall_absence_perc ?? -1) - Number(a.overall_absence_perc ?? -1) || a.name.localeCompare(b.name);
    if (!suppressed)
      return {
        la,
        from,
        to,
        suppressed,
        areas: [...groups]
          .map(([name, { code, lsoas, counts: c }]) => neighbourhood(name, code, lsoas.sort(), c))
          .sort(byAbsence),
      };
    // The areas add up to the LA's figure: hidden with it, or else protected as any other cells of it.
    const { pattern } = await this.disclosure.area({ frame: 'period', filter: { from, to } });
    const laHidden = pattern.hidden.has(areaKey('la', la.code, '', 'Total', ''));
    return {
      la,
      from,
      to,
      suppressed,
      areas: protectAreas(
        [...groups].map(([name, g]) => ({ name, code: g.code, lsoas: g.lsoas.sort(), counts: g.counts })),
        laHidden,
      ).sort(byAbsence),
    };
  }

  async targets(code: string, viewer?: Principal): Promise<LaTarget[]> {
    const la = laOf(code);
    requireAccess(
      seesSchoolsOfLa(viewer, la.code),
      viewer,
      `${la.name}'s targets are for its own LA users, DfE and Ofsted`,
    );
    return this.repository.targets(la.code);
  }

  async setTarget(code: string, cohort: TargetCohort, attendance: number, viewer: Principal): Promise<LaTarget[]> {
    const la = laOf(code);
    if (viewer.role !== 'la' || !inScope(viewer, la.code))
      throw new ForbiddenException(`Only ${la.name}'s own LA users may set its targets`);
    await this.repository.setTarget(la.code, cohort, attendance, viewer.sub);
    return this.repository.targets(la.code);
  }
}

function laOf(code: string): LocalAuthority {
  const la = LA_BY_CODE.get(code);
  if (!la)
    throw new NotFoundException(`There is no local authority with code ${code}: use a 3-digit DfE code such as 202`);
  return la;
}

function rateOf(cell: unknown): number | null {
  return typeof cell === 'number' ? cell : null;
}

function difference(x: number | null | undefined, y: number | null | undefined): number | null {
  return x === null || x === undefined || y === null || y === undefined ? null : x - y;
}

/** The LA's place among the LAs with a figure (1 = lowest absence) and its quarter. */
function ranking(rows: EesRow[], code: string, measure: RankedMeasure): LaRanking {
  const values = rows
    .map((row) => ({ code: String(row.old_la_code), value: rateOf(row[measure]) }))
    .filter((v): v is { code: string; value: number } => v.value !== null);
  const own = values.find((v) => v.code === code);
  if (!own) return { measure, position: null, of: values.length, quartile: null };
  const position = values.filter((v) => v.value < own.value).length + 1;
  return {
    measure,
    position,
    of: values.length,
    quartile: Math.min(4, Math.floor(((position - 1) * 4) / values.length) + 1) as 1 | 2 | 3 | 4,
  };
}

const SMALL_AREAS = 'Other home areas (each under 10 pupils or 2 schools)';
const NOT_KNOWN = 'Home area not known';

/** Adds an area's counts (its pupils, sessions, persistent absentees and schools) to a group of areas'. */
function addTo(group: HomeAreaCounts, area: HomeAreaCounts): void {
  for (const f of ['pupils', 'possible', 'absent', 'persistent'] as const) group[f] += area[f];
  group.urns = [...new Set([...group.urns, ...area.urns])];
}

function neighbourhood(name: string, code: string | null, lsoas: string[], c: HomeAreaCounts): Neighbourhood {
  return {
    name,
    code,
    lsoas,
    pupils: c.pupils,
    possible_sessions: c.possible,
    overall_absence_perc: c.possible ? (c.absent / c.possible) * 100 : null,
    pa_perc: c.pupils ? (c.persistent / c.pupils) * 100 : null,
  };
}

/**
 * Areas as a viewer without rights to the LA sees them: the areas of fewer than MIN_PUPILS pupils or MIN_SCHOOLS
 * schools are merged into one row, unnamed, so no row places a handful of pupils; if that row is still small, it is
 * hidden with the smallest other area (a pair: the LA's total minus the rest gives only their sum). When the LA's own
 * figure is hidden, every area is.
 */
function protectAreas(
  groups: { name: string; code: string | null; lsoas: string[]; counts: HomeAreaCounts }[],
  laHidden: boolean,
): Neighbourhood[] {
  const sensitive = (c: HomeAreaCounts) => isSensitive({ num_schools: c.urns.length, enrolments: c.pupils });
  const small = groups.filter((g) => sensitive(g.counts));
  const rows = groups.filter((g) => !small.includes(g));
  if (small.length) {
    const merged: HomeAreaCounts = { lsoa: '', pupils: 0, possible: 0, absent: 0, persistent: 0, urns: [] };
    for (const g of small) addTo(merged, g.counts);
    rows.push({ name: SMALL_AREAS, code: null, lsoas: [], counts: merged });
  }
  const hidden = new Set(laHidden ? rows.map((r) => r.name) : []);
  const last = rows.find((r) => r.name === SMALL_AREAS);
  if (last && sensitive(last.counts)) {
    hidden.add(SMALL_AREAS);
    const partner = rows
      .filter((r) => r !== last && !hidden.has(r.name))
      .sort((a, b) => a.counts.pupils - b.counts.pupils || a.name.localeCompare(b.name))[0];
    if (partner) hidden.add(partner.name);
  }
  return rows.map((r) =>
    hidden.has(r.name)
      ? {
          name: r.name,
          code: r.code,
          lsoas: r.lsoas,
          pupils: 'c',
          possible_sessions: 'c',
          overall_absence_perc: 'c',
          pa_perc: 'c',
        }
      : neighbourhood(r.name, r.code, r.lsoas, r.counts),
  );
}
