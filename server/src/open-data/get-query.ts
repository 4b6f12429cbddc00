// EES's GET query: its facets as query parameters, read into the POST body's shape (one facets object: no and, or,
// not). A location is written {level}|{id, code or oldCode}|{value}, a time period {period}|{code}, a sort
// {field}|{direction}.
import type { z } from 'zod';
import { invalid } from '../common/validation.js';
import { type CriteriaFacets, QueryBody, type queryGetRequest } from '../contract/open-data.js';
import type { FieldError } from './query.js';

type GetQuery = z.output<typeof queryGetRequest>;
const FACETS = ['filters', 'geographicLevels', 'locations', 'timePeriods'] as const;
const OPERATORS = ['eq', 'notEq', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte'] as const;

const short = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

export function queryBodyOfGet(q: GetQuery): QueryBody {
  const errors: FieldError[] = [];
  const facets: Record<string, Record<string, unknown>> = {};
  const read = (facet: (typeof FACETS)[number], value: string, field: string): unknown => {
    const parts = value.split('|');
    if (facet === 'locations') {
      const [level, property, code] = parts;
      if (parts.length !== 3 || !['id', 'code', 'oldCode'].includes(property))
        errors.push({
          field,
          message: `"${short(value)}" is not {level}|{id, code or oldCode}|{value}, e.g. LA|code|E09000030`,
        });
      return { level, [property]: code };
    }
    if (facet === 'timePeriods') {
      if (parts.length !== 2)
        errors.push({ field, message: `"${short(value)}" is not {period}|{code}, e.g. 2025/2026|AY` });
      return { period: parts[0], code: parts[1] };
    }
    return value;
  };
  for (const facet of FACETS)
    for (const op of OPERATORS) {
      const value = (q as unknown as Record<string, string | string[] | undefined>)[`${facet}.${op}`];
      if (value === undefined) continue;
      facets[facet] ??= {};
      facets[facet][op] = Array.isArray(value)
        ? value.map((v, i) => read(facet, v, `${facet}.${op}.${i}`))
        : read(facet, value, `${facet}.${op}`);
    }
  const sorts = (q.sorts ?? []).map((sort, i) => {
    const at = sort.lastIndexOf('|');
    if (at < 0)
      errors.push({
        field: `sorts.${i}`,
        message: `"${short(sort)}" is not {field}|{Asc or Desc}, e.g. timePeriod|Desc`,
      });
    return { field: sort.slice(0, at), direction: sort.slice(at + 1) };
  });
  if (errors.length) throw invalid(errors);
  const parsed = QueryBody.safeParse({
    criteria: Object.keys(facets).length ? (facets as CriteriaFacets) : undefined,
    indicators: q.indicators,
    sorts: sorts.length ? sorts : undefined,
    page: q.page,
    pageSize: q.pageSize,
  });
  if (!parsed.success)
    throw invalid(
      parsed.error.issues.map((i) => ({
        field: i.path.filter((p) => p !== 'criteria').join('.') || null,
        message: i.message,
      })),
    );
  return parsed.data;
}
