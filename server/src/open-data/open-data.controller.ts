import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import type { AuthedRequest } from '../auth/auth.guard.js';
import { ApiRoute } from '../common/api-docs.js';
import { invalid, parseBody } from '../common/validation.js';
import {
  type DataSet,
  type DataSetChanges,
  type DataSetList,
  type DataSetMeta,
  type DataSetVersions,
  MAX_CRITERIA_DEPTH,
  QueryBody,
  type QueryResults,
} from '../contract/open-data.js';
import { ROUTES } from '../contract/routes.js';
import { eesCsv } from '../measures/ees-csv.js';
import { queryBodyOfGet } from './get-query.js';
import { OpenDataService } from './open-data.service.js';
import { criteriaDepth } from './query.js';

@ApiTags('data sets (EES public data API, v1)')
@ApiBearerAuth()
@Controller('api/v1/data-sets')
export class OpenDataController {
  constructor(
    private readonly openData: OpenDataService,
    private readonly audit: AuditService,
  ) {}

  @Get()
  @ApiRoute(ROUTES.dataSets)
  @ApiOperation({ summary: 'The data sets: attendance by day, week, term and year to date, each also by breakdown' })
  list(@Query() query: unknown): DataSetList {
    const { page, pageSize } = parseBody(ROUTES.dataSets.request, query);
    return this.openData.list(page, pageSize);
  }

  @Get(':dataSetId')
  @ApiRoute(ROUTES.dataSet)
  @ApiOperation({ summary: "A data set's summary and its latest version" })
  summary(@Param('dataSetId') dataSetId: string, @Query() query: Record<string, unknown>): DataSet {
    const q = parseBody(ROUTES.dataSet.request, { ...query, dataSetId });
    return this.openData.summary(q.dataSetId, q.dataSetVersion);
  }

  @Get(':dataSetId/meta')
  @ApiRoute(ROUTES.dataSetMeta)
  @ApiOperation({
    summary: "A data set's filters and options, indicators, geographic levels, locations and time periods, with ids",
  })
  meta(
    @Param('dataSetId') dataSetId: string,
    @Query() query: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<DataSetMeta> {
    const q = parseBody(ROUTES.dataSetMeta.request, { ...query, dataSetId });
    return this.openData.meta(q.dataSetId, q.dataSetVersion, request.principal);
  }

  @Get(':dataSetId/csv')
  @ApiRoute(ROUTES.dataSetCsv)
  @ApiProduces('text/csv')
  @ApiOperation({ summary: 'The whole data set as the CSV export writes it (DfE columns first)' })
  async csv(
    @Param('dataSetId') dataSetId: string,
    @Query() query: Record<string, unknown>,
    @Req() request: AuthedRequest,
    @Res() response: Response,
  ): Promise<void> {
    const q = parseBody(ROUTES.dataSetCsv.request, { ...query, dataSetId });
    const { columns, rows } = await this.openData.csv(q.dataSetId, q.dataSetVersion, request.principal);
    const body = eesCsv(columns, rows);
    await this.audit.record(request, 'data-sets.export', rows.length);
    response
      .status(200)
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename="${q.dataSetId}.csv"`)
      .send(body);
  }

  @Get(':dataSetId/query')
  @ApiRoute(ROUTES.dataSetQuery)
  @ApiOperation({
    summary:
      "Query a data set (GET): facets as query parameters (filters.in=..., locations.eq=LA|code|E09000030, timePeriods.gte=2025|W37), EES's GET variant",
  })
  async queryGet(
    @Param('dataSetId') dataSetId: string,
    @Query() query: Record<string, unknown>,
    @Req() request: AuthedRequest,
  ): Promise<QueryResults> {
    const q = parseBody(ROUTES.dataSetQuery.request, { ...query, dataSetId });
    const body = queryBodyOfGet(q);
    const url = new URL(request.originalUrl, 'http://localhost');
    const answer = await this.openData.query(
      q.dataSetId,
      q.dataSetVersion,
      body,
      {
        self: { href: request.originalUrl, method: 'GET' },
        page: (page) => {
          url.searchParams.set('page', String(page));
          return { href: `${url.pathname}${url.search}`, method: 'GET' };
        },
      },
      request.principal,
    );
    await this.audit.record(request, 'data-sets.query', answer.results.length);
    return answer;
  }

  @Post(':dataSetId/query')
  @HttpCode(200)
  @ApiRoute(ROUTES.dataSetQueryPost)
  @ApiOperation({
    summary:
      "Query a data set (POST): EES's query body, criteria with and, or, not over filters, geographicLevels, locations and timePeriods; indicators; sorts; page, pageSize",
  })
  async queryPost(
    @Param('dataSetId') dataSetId: string,
    @Query() query: Record<string, unknown>,
    @Body() raw: unknown,
    @Req() request: AuthedRequest,
  ): Promise<QueryResults> {
    const q = parseBody(ROUTES.dataSetQueryPost.request, { ...query, dataSetId });
    const criteria = (raw as { criteria?: unknown } | undefined)?.criteria;
    if (criteriaDepth(criteria) > MAX_CRITERIA_DEPTH)
      throw invalid([
        { field: 'criteria', message: `nests and, or and not more than ${MAX_CRITERIA_DEPTH} deep: write it flatter` },
      ]);
    const body = parseBody(QueryBody, raw);
    const answer = await this.openData.query(
      q.dataSetId,
      q.dataSetVersion,
      body,
      {
        self: { href: request.originalUrl, method: 'POST' },
        page: (page) => ({ href: request.originalUrl, method: 'POST', page }),
      },
      request.principal,
    );
    await this.audit.record(request, 'data-sets.query', answer.results.length);
    return answer;
  }

  @Get(':dataSetId/versions')
  @ApiRoute(ROUTES.dataSetVersions)
  @ApiOperation({ summary: "A data set's versions, latest first" })
  versions(@Param('dataSetId') dataSetId: string): DataSetVersions {
    return this.openData.versions(parseBody(ROUTES.dataSetVersions.request, { dataSetId }).dataSetId);
  }

  @Get(':dataSetId/versions/:dataSetVersion/changes')
  @ApiRoute(ROUTES.dataSetChanges)
  @ApiOperation({ summary: 'What a version changed from the one before it' })
  changes(@Param('dataSetId') dataSetId: string, @Param('dataSetVersion') dataSetVersion: string): DataSetChanges {
    const q = parseBody(ROUTES.dataSetChanges.request, { dataSetId, dataSetVersion });
    return this.openData.changes(q.dataSetId, q.dataSetVersion);
  }
}
