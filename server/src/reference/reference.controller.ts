import { Controller, Get, Header, NotFoundException, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Roles } from '../auth/roles.decorator.js';
import { ApiRoute } from '../common/api-docs.js';
import { readBody, requireCsv } from '../common/body.js';
import { parseBody } from '../common/validation.js';
import { ROUTES } from '../contract/routes.js';
import { BOUNDARY_FILE, BoundariesService } from './boundaries.service.js';
import { LOCAL_AUTHORITIES, type LocalAuthority } from './local-authorities.js';
import { SchoolsService } from './schools.service.js';
import type { SchoolSummary, SchoolsUploadResult } from '../contract/api.js';

const MAX_GIAS_BYTES = 200_000_000;

@ApiTags('reference')
@Controller('api/v1/reference')
export class ReferenceController {
  constructor(
    private readonly schools: SchoolsService,
    private readonly boundaries: BoundariesService,
  ) {}

  @Post('schools')
  @ApiRoute(ROUTES.uploadSchools)
  @Roles('admin')
  @ApiBearerAuth()
  @ApiConsumes('text/csv')
  @ApiBody({ description: 'GIAS "all establishment data" CSV; columns beyond those used are ignored' })
  @ApiOperation({ summary: 'Upsert schools by URN from a GIAS CSV' })
  async uploadSchools(@Req() request: Request): Promise<SchoolsUploadResult> {
    requireCsv(request);
    return this.schools.upload(await readBody(request, MAX_GIAS_BYTES));
  }

  @Get('schools')
  @ApiRoute(ROUTES.referenceSchools)
  @ApiOperation({ summary: "An LA's schools in the school list (GIAS): URN, name, phase, trust" })
  schoolsOfLa(@Query() query: Record<string, unknown>): Promise<SchoolSummary[]> {
    return this.schools.ofLa(parseBody(ROUTES.referenceSchools.request, query).la);
  }

  @Get('local-authorities')
  @ApiRoute(ROUTES.localAuthorities)
  @ApiOperation({ summary: "England's 153 local authorities with regions and geographic and statistical neighbours" })
  localAuthorities(): readonly LocalAuthority[] {
    return LOCAL_AUTHORITIES;
  }

  @Get('boundaries')
  @ApiRoute(ROUTES.boundaries)
  @ApiProduces('application/geo+json')
  @Header('Content-Type', 'application/geo+json')
  @Header('Cache-Control', 'public, max-age=3600')
  @ApiOperation({ summary: 'LA boundaries (GeoJSON, ONS, Open Government Licence), features keyed by GSS code' })
  boundariesGeoJson(): string {
    if (!this.boundaries.geojson) {
      throw new NotFoundException(
        `The boundary file ${BOUNDARY_FILE} is not in the reference data directory (REFERENCE_DIR)`,
      );
    }
    return this.boundaries.geojson;
  }
}
