import { Injectable, NotFoundException } from '@nestjs/common';
import { requireAccess, seesEverySchool } from '../auth/access.js';
import { inScope, type Principal } from '../auth/principal.js';
import { MeasuresService } from '../measures/measures.service.js';
import { SchoolComparisonService, type Period } from './school-comparison.service.js';
import type { TrustOverview } from '../contract/api.js';
import { combine } from '../contract/ees.js';

/** A trust's schools side by side, across LAs, with the trust's total against England. */
@Injectable()
export class TrustService {
  constructor(
    private readonly measures: MeasuresService,
    private readonly schools: SchoolComparisonService,
  ) {}

  async overview(trustCode: string, period: Period, viewer?: Principal): Promise<TrustOverview> {
    const member = viewer?.role === 'trust' && inScope(viewer, trustCode);
    requireAccess(
      member || seesEverySchool(viewer),
      viewer,
      `trust ${trustCode}'s figures are for the trust itself, DfE and Ofsted`,
    );
    const schools = [...(await this.schools.summaries()).values()]
      .filter((s) => s.trustCode === trustCode)
      .sort((a, b) => a.name.localeCompare(b.name));
    if (!schools.length) throw new NotFoundException(`No school in the register belongs to trust ${trustCode}`);
    const query = { from: period.from, to: period.to };
    const [perSchool, england] = await Promise.all([
      this.measures.measures({ ...query, level: 'school', areas: schools.map((s) => String(s.urn)) }, viewer),
      this.measures.measures({ ...query, level: 'national', phase: 'Total' }, viewer),
    ]);
    const own = new Map(
      perSchool.rows.filter((r) => r.education_phase !== 'Total').map((r) => [Number(r.school_urn), r]),
    );
    return {
      trustCode,
      trustName: schools[0].trustName,
      from: perSchool.from,
      to: perSchool.to,
      total: combine(perSchool.rows.filter((r) => r.education_phase === 'Total')).row,
      england: england.rows[0] ?? {},
      schools: schools.map((school) => ({ school, row: own.get(school.urn) ?? null })),
    };
  }
}
