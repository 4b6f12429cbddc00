// The API's endpoints: each path with what it takes (path parameters and query, or a JSON body: the register and GIAS
// uploads take CSV, described by their controllers) and what it answers. The
// server's controllers document themselves from an entry (common/api-docs.ts), a test holds the OpenAPI document to
// this list, and the client's calls are typed by it (client/src/modules/api.ts): a misspelt parameter fails tsc.
import { z } from 'zod';
import * as api from './api.js';
import * as openData from './open-data.js';
import * as requests from './requests.js';

interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** As Express writes it: /api/v1/las/:code/comparison. */
  path: string;
  /** The path parameters and the query string together. */
  request?: z.ZodType;
  body?: z.ZodType;
  /** The JSON answer; none for a CSV. */
  response?: z.ZodType;
  /** The answer's status, when not 200. */
  status?: 201 | 202;
}

export const ROUTES = {
  status: { method: 'GET', path: '/api/v1/status', response: api.Status },
  coverage: { method: 'GET', path: '/api/v1/status/coverage', request: requests.coverageQuery, response: api.Coverage },
  boundaries: { method: 'GET', path: '/api/v1/reference/boundaries', response: api.BoundaryCollection },
  localAuthorities: {
    method: 'GET',
    path: '/api/v1/reference/local-authorities',
    response: z.array(api.LocalAuthority),
  },
  referenceSchools: {
    method: 'GET',
    path: '/api/v1/reference/schools',
    request: requests.referenceSchoolsQuery,
    response: z.array(api.SchoolSummary),
  },
  measures: { method: 'GET', path: '/api/v1/measures', request: requests.measuresQuery, response: api.MeasuresResult },
  measuresCsv: { method: 'GET', path: '/api/v1/export/attendance.csv', request: requests.measuresQuery },
  laComparison: {
    method: 'GET',
    path: '/api/v1/las/:code/comparison',
    request: requests.laComparisonQuery,
    response: api.LaComparison,
  },
  laCohorts: {
    method: 'GET',
    path: '/api/v1/las/:code/cohorts',
    request: requests.laCohortsQuery,
    response: api.LaCohorts,
  },
  laSchools: {
    method: 'GET',
    path: '/api/v1/las/:code/schools',
    request: requests.laPeriodQuery,
    response: api.LaSchools,
  },
  laNeighbourhoods: {
    method: 'GET',
    path: '/api/v1/las/:code/neighbourhoods',
    request: requests.laPeriodQuery,
    response: api.LaNeighbourhoods,
  },
  laTargets: {
    method: 'GET',
    path: '/api/v1/las/:code/targets',
    request: requests.laTargetsQuery,
    response: z.array(api.LaTarget),
  },
  setLaTarget: {
    method: 'PUT',
    path: '/api/v1/las/:code/targets',
    request: requests.laTargetsQuery,
    body: requests.laTargetBody,
    response: z.array(api.LaTarget),
  },
  schoolOverview: {
    method: 'GET',
    path: '/api/v1/schools/:urn/overview',
    request: requests.schoolQuery,
    response: api.SchoolOverview,
  },
  schoolWeekly: {
    method: 'GET',
    path: '/api/v1/schools/:urn/weekly',
    request: requests.schoolQuery,
    response: api.SchoolWeekly,
  },
  schoolPupils: {
    method: 'GET',
    path: '/api/v1/schools/:urn/pupils',
    request: requests.pupilsQuery,
    response: api.SchoolPupils,
  },
  schoolPupilsCsv: { method: 'GET', path: '/api/v1/schools/:urn/pupils.csv', request: requests.pupilsQuery },
  trustOverview: {
    method: 'GET',
    path: '/api/v1/trusts/:code/overview',
    request: requests.trustQuery,
    response: api.TrustOverview,
  },
  inspectionPriorities: {
    method: 'GET',
    path: '/api/v1/inspection/priorities',
    request: requests.inspectionQuery,
    response: api.InspectionPriorities,
  },
  inspectionPrioritiesCsv: {
    method: 'GET',
    path: '/api/v1/inspection/priorities.csv',
    request: requests.inspectionQuery,
  },
  programmes: { method: 'GET', path: '/api/v1/programmes', response: z.array(api.Programme) },
  createProgramme: {
    method: 'POST',
    path: '/api/v1/programmes',
    body: requests.programmeBody,
    response: api.Programme,
    status: 201,
  },
  programmeEvaluation: {
    method: 'GET',
    path: '/api/v1/programmes/:id/evaluation',
    request: requests.evaluationQuery,
    response: api.ProgrammeEvaluation,
  },
  dataSets: {
    method: 'GET',
    path: '/api/v1/data-sets',
    request: openData.listRequest,
    response: openData.DataSetList,
  },
  dataSet: {
    method: 'GET',
    path: '/api/v1/data-sets/:dataSetId',
    request: openData.dataSetRequest,
    response: openData.DataSet,
  },
  dataSetMeta: {
    method: 'GET',
    path: '/api/v1/data-sets/:dataSetId/meta',
    request: openData.dataSetRequest,
    response: openData.DataSetMeta,
  },
  dataSetCsv: { method: 'GET', path: '/api/v1/data-sets/:dataSetId/csv', request: openData.dataSetRequest },
  dataSetQuery: {
    method: 'GET',
    path: '/api/v1/data-sets/:dataSetId/query',
    request: openData.queryGetRequest,
    response: openData.QueryResults,
  },
  dataSetQueryPost: {
    method: 'POST',
    path: '/api/v1/data-sets/:dataSetId/query',
    request: openData.queryPostRequest,
    body: openData.QueryBody,
    response: openData.QueryResults,
  },
  dataSetVersions: {
    method: 'GET',
    path: '/api/v1/data-sets/:dataSetId/versions',
    request: openData.dataSetPath,
    response: openData.DataSetVersions,
  },
  dataSetChanges: {
    method: 'GET',
    path: '/api/v1/data-sets/:dataSetId/versions/:dataSetVersion/changes',
    request: openData.changesRequest,
    response: openData.DataSetChanges,
  },
  alerts: { method: 'GET', path: '/api/v1/alerts', request: requests.alertsQuery, response: api.Alerts },
  audit: { method: 'GET', path: '/api/v1/audit', request: requests.auditQuery, response: z.array(api.AuditEntry) },
  submitRegister: { method: 'POST', path: '/api/v1/submissions', response: api.SubmissionReceipt, status: 202 },
  uploadSchools: { method: 'POST', path: '/api/v1/reference/schools', response: api.SchoolsUploadResult },
  devToken: {
    method: 'POST',
    path: '/api/v1/auth/dev-token',
    body: requests.devTokenBody,
    response: z.object({ token: z.string() }),
  },
} as const satisfies Record<string, Route>;

type Routes = typeof ROUTES;
type AnyRoute = Routes[keyof Routes];
/** The paths of one method's endpoints. */
export type PathOf<M extends Route['method']> = Extract<AnyRoute, { method: M }>['path'];
type RouteAt<M extends Route['method'], P extends string> = Extract<AnyRoute, { method: M; path: P }>;
/** What a call sends in its path and query string. */
export type RequestOf<M extends Route['method'], P extends string> =
  RouteAt<M, P> extends { request: z.ZodType } ? z.input<RouteAt<M, P>['request']> : Record<never, never>;
export type BodyOf<M extends Route['method'], P extends string> =
  RouteAt<M, P> extends { body: z.ZodType } ? z.input<RouteAt<M, P>['body']> : never;
export type ResponseOf<M extends Route['method'], P extends string> =
  RouteAt<M, P> extends { response: z.ZodType } ? z.output<RouteAt<M, P>['response']> : never;
