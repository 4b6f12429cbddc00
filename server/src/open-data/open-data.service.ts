import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { academicYearStart, previousAcademicYearStart, todayInLondon } from '../common/dates.js';
import { invalid } from '../common/validation.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import type { EesColumn, EesRow } from '../contract/ees.js';
import {
  type DataSet,
  type DataSetChanges,
  type DataSetList,
  type DataSetMeta,
  type DataSetVersions,
  type DataSetVersionSummary,
  GEOGRAPHIC_LEVEL_CODES,
  GEOGRAPHIC_LEVEL_LABELS,
  type LocationRef,
  type QueryBody,
  type QueryResults,
  type TimePeriod,
} from '../contract/open-data.js';
import { NATIONAL_CODE } from '../contract/vocabulary.js';
import { MeasuresService } from '../measures/measures.service.js';
import { LOCAL_AUTHORITIES, REGIONS } from '../reference/local-authorities.js';
import {
  chronologicalKey,
  DATA_SET_BY_ID,
  DATA_SETS,
  type DataSetSpec,
  filtersOf,
  INDICATORS,
  LATEST_VERSION,
  LEVEL_OF,
  optionsOf,
  timePeriodLabel,
  timePeriodOf,
  VERSIONS,
  versionOf,
} from './data-sets.js';
import { answer, checkCriteria, checkSortsAndIndicators, levelsAsked, queryRows, type Vocabulary } from './query.js';

const BASE = '/api/v1/data-sets';
const LOCATIONS: DataSetMeta['locations'] = [
  {
    level: { code: 'NAT', label: 'National' },
    options: [{ id: NATIONAL_CODE, label: 'England', code: NATIONAL_CODE }],
  },
  {
    level: { code: 'REG', label: 'Regional' },
    options: [...REGIONS].map(([code, label]) => ({ id: code, label, code })),
  },
  {
    level: { code: 'LA', label: 'Local authority' },
    options: LOCAL_AUTHORITIES.map((la) => ({ id: la.gss, label: la.name, code: la.gss, oldCode: la.code })),
  },
];

/** A link to the next or previous page: a GET's URL with its page, or a POST's URL with the page to ask for. */
export type PageLink = (page: number) => QueryResults['_links']['self'];

/**
 * The data sets: EES's public data API over the live figures. Every figure is a cell of the CSV export's answer to
 * the same question (the data set's frame and breakdown over an academic year, at each level) for the same viewer,
 * suppressed there: the query only picks, sorts and pages those rows.
 */
@Injectable()
export class OpenDataService {
  constructor(
    private readonly measures: MeasuresService,
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'markDatesFrom'>,
  ) {}

  list(page: number, pageSize: number): DataSetList {
    const start = (page - 1) * pageSize;
    return {
      paging: { page, pageSize, totalResults: DATA_SETS.length, totalPages: Math.ceil(DATA_SETS.length / pageSize) },
      results: DATA_SETS.slice(start, start + pageSize).map((d) => this.summaryOf(d)),
    };
  }

  summary(id: string, version?: string): DataSet {
    return this.summaryOf(this.dataSet(id, version));
  }

  versions(id: string): DataSetVersions {
    const dataSet = this.dataSet(id);
    return {
      paging: { page: 1, pageSize: VERSIONS.length, totalResults: VERSIONS.length, totalPages: 1 },
      results: [...VERSIONS].reverse().map((v) => this.versionSummary(dataSet, v)),
    };
  }

  changes(id: string, version: string): DataSetChanges {
    this.dataSet(id);
    const v = VERSIONS.find((candidate) => candidate.version === version);
    if (!v)
      throw new NotFoundException(
        `Data set ${id} has no version ${version}: its versions are ${VERSIONS.map((x) => x.version).join(', ')}`,
      );
    return { version: v.version, notes: v.notes, majorChanges: v.majorChanges, minorChanges: v.minorChanges };
  }

  async meta(id: string, version: string | undefined, viewer?: Principal): Promise<DataSetMeta> {
    const dataSet = this.dataSet(id, version);
    // England's rows without the breakdown: a cohort left out (too few pupils) must not leave out its weeks or days.
    const rows = (await this.rows({ ...dataSet, breakdown: undefined }, viewer, ['NAT'])).rows;
    const periods = new Map<string, TimePeriod>();
    for (const row of rows) {
      const period = timePeriodOf(row);
      periods.set(chronologicalKey(dataSet.frame, period) ?? '', period);
    }
    return {
      filters: filtersOf(dataSet).map((filter) => ({
        id: filter.id,
        column: filter.column,
        label: filter.label,
        hint: filter.hint,
        options: optionsOf(filter, dataSet, rows),
      })),
      indicators: INDICATORS,
      geographicLevels: GEOGRAPHIC_LEVEL_CODES.map((code) => ({ code, label: GEOGRAPHIC_LEVEL_LABELS[code] })),
      locations: LOCATIONS,
      timePeriods: [...periods]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, p]) => ({ ...p, label: timePeriodLabel(p) })),
    };
  }

  async query(
    id: string,
    version: string | undefined,
    body: QueryBody,
    links: { self: QueryResults['_links']['self']; page: PageLink },
    viewer?: Principal,
  ): Promise<QueryResults> {
    const dataSet = this.dataSet(id, version);
    const errors = [
      ...(body.criteria ? checkCriteria(dataSet.frame, this.vocabulary(dataSet), body.criteria) : []),
      ...checkSortsAndIndicators(dataSet, body),
    ];
    if (errors.length) throw invalid(errors.slice(0, 100));
    const { rows } = await this.rows(dataSet, viewer, levelsAsked(body.criteria));
    const filters = filtersOf(dataSet);
    const order = new Map(
      filters.map((f) => [f.id, new Map(optionsOf(f, dataSet, rows).map((o, i) => [o.id, i] as const))]),
    );
    const page = answer(
      dataSet,
      queryRows(dataSet, rows),
      body,
      (filter, option) => order.get(filter)?.get(option) ?? -1,
    );
    return {
      paging: {
        page: body.page,
        pageSize: body.pageSize,
        totalResults: page.totalResults,
        totalPages: page.totalPages,
      },
      results: page.results,
      warnings: page.totalResults
        ? []
        : [
            {
              code: 'NoResults',
              message: 'There are no results: no row of the data set meets the criteria.',
              path: 'results',
            },
          ],
      _links: {
        self: links.self,
        ...(body.page < page.totalPages && { next: links.page(body.page + 1) }),
        ...(body.page > 1 && page.totalPages > 0 && { prev: links.page(Math.min(body.page - 1, page.totalPages)) }),
      },
    };
  }

  /** The data set as the CSV export writes it: every academic year, England, then the regions, then the LAs. */
  csv(id: string, version: string | undefined, viewer?: Principal): Promise<{ columns: EesColumn[]; rows: EesRow[] }> {
    return this.rows(this.dataSet(id, version), viewer);
  }

  /**
   * The data set's rows: the export's answers (DfE's columns) to its question over each academic year that marks may
   * carry, at each level, for this viewer.
   */
  private async rows(
    dataSet: DataSetSpec,
    viewer: Principal | undefined,
    levels: readonly (typeof GEOGRAPHIC_LEVEL_CODES)[number][] = GEOGRAPHIC_LEVEL_CODES,
  ): Promise<{ columns: EesColumn[]; rows: EesRow[] }> {
    const today = todayInLondon();
    const first = Number(academicYearStart(this.config.markDatesFrom ?? previousAcademicYearStart(today)).slice(0, 4));
    const last = Number(academicYearStart(today).slice(0, 4));
    const questions = [];
    for (let year = first; year <= last; year++)
      for (const level of levels)
        questions.push(
          this.measures.measures(
            {
              level: LEVEL_OF[level],
              from: `${year}-09-01`,
              to: year === last ? today : `${year + 1}-08-31`,
              frame: dataSet.frame,
              breakdown: dataSet.breakdown,
              dfeFile: true,
            },
            viewer,
          ),
        );
    const answers = await Promise.all(questions);
    return { columns: answers[0]?.columns ?? [], rows: answers.flatMap((a) => a.rows) };
  }

  private dataSet(id: string, version?: string): DataSetSpec {
    const dataSet = DATA_SET_BY_ID.get(id);
    if (!dataSet)
      throw new NotFoundException(
        `There is no data set ${id.slice(0, 60)}: GET ${BASE} lists them (attendance-ytd, ...)`,
      );
    if (!versionOf(version))
      throw new NotFoundException(
        `Data set ${id} has no version ${version!.slice(0, 10)}: its versions are ${VERSIONS.map((v) => v.version).join(', ')} (or 1.*, *)`,
      );
    return dataSet;
  }

  private vocabulary(dataSet: DataSetSpec): Vocabulary {
    const optionIds = new Set(
      filtersOf(dataSet)
        .filter((f) => f.id !== 'attendance_date')
        .flatMap((f) => optionsOf(f, dataSet, []).map((o) => o.id)),
    );
    const locationIds = new Map(LOCATIONS.map((l) => [l.level.code, l.options]));
    return {
      isOption: (id) => optionIds.has(id) || (dataSet.frame === 'daily' && /^\d{4}-\d{2}-\d{2}$/.test(id)),
      isLocation: (ref: LocationRef) =>
        (locationIds.get(ref.level) ?? []).some(
          (o) => o.id === ref.id || o.code === ref.code || (o.oldCode !== undefined && o.oldCode === ref.oldCode),
        ),
    };
  }

  private summaryOf(dataSet: DataSetSpec): DataSet {
    const self = `${BASE}/${dataSet.id}`;
    return {
      id: dataSet.id,
      title: dataSet.title,
      summary: dataSet.summary,
      status: 'Published',
      latestVersion: this.versionSummary(dataSet, LATEST_VERSION),
      _links: {
        self: { href: self, method: 'GET' },
        meta: { href: `${self}/meta`, method: 'GET' },
        query: { href: `${self}/query`, method: 'POST' },
        csv: { href: `${self}/csv`, method: 'GET' },
        versions: { href: `${self}/versions`, method: 'GET' },
      },
    };
  }

  private versionSummary(dataSet: DataSetSpec, version: (typeof VERSIONS)[number]): DataSetVersionSummary {
    const today = todayInLondon();
    const first = academicYearStart(this.config.markDatesFrom ?? previousAcademicYearStart(today));
    const year = (start: string) =>
      timePeriodLabel({ period: `${start.slice(0, 4)}/${Number(start.slice(0, 4)) + 1}`, code: 'AY' });
    return {
      version: version.version,
      type: version.type,
      status: version.status,
      published: version.published,
      notes: version.notes,
      timePeriods: { start: year(first), end: year(academicYearStart(today)) },
      geographicLevels: GEOGRAPHIC_LEVEL_CODES.map((code) => GEOGRAPHIC_LEVEL_LABELS[code]),
      filters: filtersOf(dataSet).map((f) => f.label),
      indicators: INDICATORS.map((i) => i.label),
    };
  }
}
