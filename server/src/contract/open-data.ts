// The data sets API: the shapes of Explore Education Statistics' public data API, version 1
// (https://api.education.gov.uk/statistics/docs/, reference v1, API release 1.0.3), over the live data. Ids are
// stable: a data set's is its frame and breakdown, an indicator's its EES column, a location's its GSS code.
import { z } from 'zod';

/** The geographic levels published (nothing below LA), as EES codes them. */
export const GEOGRAPHIC_LEVEL_CODES = ['NAT', 'REG', 'LA'] as const;
export type GeographicLevelCode = (typeof GEOGRAPHIC_LEVEL_CODES)[number];
export const GEOGRAPHIC_LEVEL_LABELS: Record<GeographicLevelCode, string> = {
  NAT: 'National',
  REG: 'Regional',
  LA: 'Local authority',
};

/** A criteria's nesting (and, or, not) may go this deep: enough for any real question, and no deeper. */
export const MAX_CRITERIA_DEPTH = 8;

const id = z.string().min(1).max(60);
const ids = z.array(id).max(1000);

export const TimePeriod = z
  .object({
    period: z.string().max(20).describe('2025/2026 (an academic year) or 2025 (the calendar year of a week)'),
    code: z.string().max(10).describe('AY (academic year), T1 T2 T3 (autumn, spring, summer term), W1 ... W53 (week)'),
  })
  .describe('A time period as EES writes it');
export type TimePeriod = z.infer<typeof TimePeriod>;

export const LocationRef = z
  .object({
    level: z.enum(GEOGRAPHIC_LEVEL_CODES),
    id: id.optional(),
    code: z.string().max(20).optional(),
    oldCode: z.string().max(20).optional().describe("an LA's 3-digit code"),
  })
  .refine((l) => [l.id, l.code, l.oldCode].filter((v) => v !== undefined).length === 1, {
    message: 'names a location by one of id, code or oldCode',
  })
  .describe('A location: its level and one of its id, code (GSS) or oldCode (an LA)');
export type LocationRef = z.infer<typeof LocationRef>;

const comparators = <T extends z.ZodType>(value: T) => ({
  eq: value.optional(),
  notEq: value.optional(),
  in: z.array(value).max(1000).optional(),
  notIn: z.array(value).max(1000).optional(),
});

const criteriaFacets = {
  filters: z.object(comparators(id)).strict().optional().describe("filter options' ids"),
  geographicLevels: z
    .object(comparators(z.enum(GEOGRAPHIC_LEVEL_CODES)))
    .strict()
    .optional(),
  locations: z.object(comparators(LocationRef)).strict().optional(),
  timePeriods: z
    .object({
      ...comparators(TimePeriod),
      gt: TimePeriod.optional(),
      gte: TimePeriod.optional(),
      lt: TimePeriod.optional(),
      lte: TimePeriod.optional(),
    })
    .strict()
    .optional(),
};
export const CriteriaFacets = z.object(criteriaFacets).strict();
export type CriteriaFacets = z.infer<typeof CriteriaFacets>;

/**
 * EES's criteria: facets, or a condition (and, or, not) over criteria. Read as one object, so that a mistake is
 * reported where it is; facets and conditions given together must all hold.
 */
export interface Criteria extends CriteriaFacets {
  and?: Criteria[];
  or?: Criteria[];
  not?: Criteria;
}
export const Criteria: z.ZodType<Criteria> = z
  .lazy(() =>
    z
      .object({
        ...criteriaFacets,
        and: z.array(Criteria).min(1).max(100).optional().describe('every one of these criteria'),
        or: z.array(Criteria).min(1).max(100).optional().describe('any one of these criteria'),
        not: Criteria.optional().describe('not these criteria'),
      })
      .strict(),
  )
  .meta({ id: 'DataSetQueryCriteria' });

export const SORT_FIELD =
  /^(timePeriod|geographicLevel|location\|(NAT|REG|LA)|filter\|[^|]{1,60}|indicator\|[^|]{1,60})$/;
export const Sort = z.object({
  field: z
    .string()
    .regex(SORT_FIELD, 'is timePeriod, geographicLevel, location|{level}, filter|{id} or indicator|{id}')
    .describe('timePeriod, geographicLevel, location|{level} (NAT, REG, LA), filter|{id} or indicator|{id}'),
  direction: z.enum(['Asc', 'Desc']),
});
export type Sort = z.infer<typeof Sort>;

const page = z.coerce.number().int().min(1).max(1_000_000).default(1).describe('the page of results, from 1');
const pageSize = z.coerce.number().int().min(1).max(10_000).default(1000).describe('results per page, at most 10,000');
const dataSetVersion = z
  .string()
  .max(10)
  .optional()
  .describe('the data set version: 1.0, 1.*, 1 or * (the latest, the default)');

export const dataSetPath = z.object({
  dataSetId: z.string().regex(/^[a-z0-9-]{1,60}$/, 'must be a data set id, such as attendance-ytd'),
});

export const QueryBody = z
  .object({
    criteria: Criteria.optional().describe('facets (filters, geographicLevels, locations, timePeriods), and, or, not'),
    indicators: ids.optional().describe("the indicators' ids to give values for; all when left out"),
    sorts: z.array(Sort).max(10).optional().describe('by default the time period, latest first'),
    debug: z.boolean().optional().describe('accepted and ignored: ids here are readable already'),
    page,
    pageSize,
  })
  .strict();
export type QueryBody = z.infer<typeof QueryBody>;

export const queryPostRequest = dataSetPath.extend({ dataSetVersion });

const listOf = z
  .union([z.string().max(20_000), z.array(z.string().max(200)).max(1000)])
  .optional()
  .transform((v) =>
    v === undefined
      ? undefined
      : [v]
          .flat()
          .flatMap((s) => s.split(','))
          .filter(Boolean),
  );
const oneOf = z.string().max(200).optional();
/** The GET variant: facets as `filters.in=id1,id2`, `locations.eq=LA|code|E09000030`, `timePeriods.gte=2025|W37`. */
export const queryGetRequest = dataSetPath.extend({
  dataSetVersion,
  'filters.eq': oneOf,
  'filters.notEq': oneOf,
  'filters.in': listOf,
  'filters.notIn': listOf,
  'geographicLevels.eq': oneOf,
  'geographicLevels.notEq': oneOf,
  'geographicLevels.in': listOf,
  'geographicLevels.notIn': listOf,
  'locations.eq': oneOf.describe('{level}|{id, code or oldCode}|{value}, e.g. LA|code|E09000030'),
  'locations.notEq': oneOf,
  'locations.in': listOf,
  'locations.notIn': listOf,
  'timePeriods.eq': oneOf.describe('{period}|{code}, e.g. 2025/2026|AY or 2025|W37'),
  'timePeriods.notEq': oneOf,
  'timePeriods.in': listOf,
  'timePeriods.notIn': listOf,
  'timePeriods.gt': oneOf,
  'timePeriods.gte': oneOf,
  'timePeriods.lt': oneOf,
  'timePeriods.lte': oneOf,
  indicators: listOf.describe("indicators' ids, comma-separated or repeated; all when left out"),
  sorts: listOf.describe('{field}|{Asc or Desc}, e.g. timePeriod|Desc'),
  page,
  pageSize,
});

export const listRequest = z.object({
  page: z.coerce.number().int().min(1).max(1000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export const dataSetRequest = dataSetPath.extend({ dataSetVersion });
export const changesRequest = dataSetPath.extend({
  dataSetVersion: z.string().regex(/^\d{1,3}\.\d{1,3}$/, 'must be a version such as 1.0'),
});

// ── Answers ─────────────────────────────────────────────────────────────────────────────────────────────────────────

const Link = z.object({
  href: z.string(),
  method: z.enum(['GET', 'POST']).optional(),
  page: z.number().optional().describe("a POST's link: the page to ask for in the body"),
});
const Paging = z.object({
  page: z.number(),
  pageSize: z.number(),
  totalResults: z.number(),
  totalPages: z.number(),
});

export const DataSetVersionSummary = z.object({
  version: z.string(),
  type: z.enum(['Major', 'Minor']),
  status: z.literal('Published'),
  published: z.string().describe('when this version of the data set (its columns, ids and method) was first served'),
  notes: z.string(),
  timePeriods: z.object({ start: z.string(), end: z.string() }),
  geographicLevels: z.array(z.string()),
  filters: z.array(z.string()),
  indicators: z.array(z.string()),
});
export type DataSetVersionSummary = z.infer<typeof DataSetVersionSummary>;

export const DataSet = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  status: z.literal('Published'),
  latestVersion: DataSetVersionSummary,
  _links: z.record(z.string(), Link),
});
export type DataSet = z.infer<typeof DataSet>;

export const DataSetList = z.object({ paging: Paging, results: z.array(DataSet) });
export type DataSetList = z.infer<typeof DataSetList>;

export const DataSetVersions = z.object({ paging: Paging, results: z.array(DataSetVersionSummary) });
export type DataSetVersions = z.infer<typeof DataSetVersions>;

export const DataSetChanges = z.object({
  version: z.string(),
  notes: z.string(),
  majorChanges: z.record(z.string(), z.array(z.object({ previousState: z.unknown(), currentState: z.unknown() }))),
  minorChanges: z.record(z.string(), z.array(z.object({ previousState: z.unknown(), currentState: z.unknown() }))),
});
export type DataSetChanges = z.infer<typeof DataSetChanges>;

const Option = z.object({ id: z.string(), label: z.string() });
export const DataSetMeta = z.object({
  filters: z.array(
    z.object({ id: z.string(), column: z.string(), label: z.string(), hint: z.string(), options: z.array(Option) }),
  ),
  indicators: z.array(
    z.object({
      id: z.string(),
      column: z.string(),
      label: z.string(),
      unit: z.enum(['', '%']),
      decimalPlaces: z.number(),
    }),
  ),
  geographicLevels: z.array(z.object({ code: z.enum(GEOGRAPHIC_LEVEL_CODES), label: z.string() })),
  locations: z.array(
    z.object({
      level: z.object({ code: z.enum(GEOGRAPHIC_LEVEL_CODES), label: z.string() }),
      options: z.array(Option.extend({ code: z.string(), oldCode: z.string().optional() })),
    }),
  ),
  timePeriods: z.array(TimePeriod.extend({ label: z.string() })).describe('in chronological order'),
});
export type DataSetMeta = z.infer<typeof DataSetMeta>;

export const QueryResult = z.object({
  timePeriod: TimePeriod,
  geographicLevel: z.enum(GEOGRAPHIC_LEVEL_CODES),
  locations: z.record(z.string(), z.string()).describe("level code to location id: the row's and those above it"),
  filters: z.record(z.string(), z.string()).describe('filter id to option id'),
  values: z
    .record(z.string(), z.string())
    .describe(
      'indicator id to value, as a string: a number, or c (confidential), z (not applicable), x (not available)',
    ),
});
export type QueryResult = z.infer<typeof QueryResult>;

export const QueryResults = z.object({
  paging: Paging,
  results: z.array(QueryResult),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), path: z.string() })),
  _links: z.object({ self: Link, next: Link.optional(), prev: Link.optional() }),
});
export type QueryResults = z.infer<typeof QueryResults>;
