import { Injectable } from '@nestjs/common';
import { InFlight } from '../common/in-flight.js';
import {
  ENROLMENT_COUNTS,
  MeasuresRepository,
  sumOfLas,
  type EnrolmentCounts,
  type MeasuresFilter,
} from '../rollup/measures.repository.js';
import { LOCAL_AUTHORITIES, REGIONS } from '../reference/local-authorities.js';
import { areaPattern, type AreaLevel, type AreaPattern, type Geography } from './pattern.js';
import { type Breakdown, BREAKDOWNS, type Frame } from '../contract/vocabulary.js';

/** One question: the days, their frame and a breakdown. Every answer to it shares one pattern. */
export interface Question {
  frame: Frame;
  filter: Pick<MeasuresFilter, 'from' | 'to' | 'termFroms' | 'termTos'>;
  breakdown?: Breakdown;
}

export interface AreaAnswer {
  pattern: AreaPattern;
  /** The enrolment counts the pattern was worked out from, every area of England: answers show these. */
  counts: Record<AreaLevel, EnrolmentCounts[]>;
}

const GEOGRAPHY: Geography = {
  regions: [...REGIONS.keys()],
  regionOf: new Map(LOCAL_AUTHORITIES.map((la) => [la.code, la.regionCode])),
};
/** Census values of each breakdown, with '' for Unclassified: the columns of its pattern. */
const COHORTS = Object.fromEntries(
  Object.entries(BREAKDOWNS).map(([name, spec]) => [name, [...Object.keys(spec.labels), '']]),
) as Record<Breakdown, string[]>;

/**
 * The disclosure-control layer's reads: every published figure of a question passes through its pattern. A pattern
 * is worked out from the counts it is shown with (never from older ones), shared by the answers asked together.
 */
@Injectable()
export class DisclosureService {
  /** Shared while in flight only: a later answer waits for counts at least as new as its own figures. */
  private readonly pending = new InFlight<AreaAnswer>();

  constructor(private readonly repository: MeasuresRepository) {}

  area(question: Question): Promise<AreaAnswer> {
    const key = JSON.stringify([question.frame, question.filter, question.breakdown ?? '']);
    return this.pending.share(key, () => this.compute(question));
  }

  private async compute({ frame, filter, breakdown }: Question): Promise<AreaAnswer> {
    // One read, the LAs': regions and England are their sums (enrolments and schools add up across LAs), so the
    // three levels are counted at the same moment. Read apart, a roll-up landing between the reads gave an LA a
    // cell its region lacked, which no box can protect.
    const [la, totals] = await Promise.all([
      this.repository.enrolments('la', frame, { ...filter }, breakdown),
      breakdown ? this.area({ frame, filter }).then((a) => a.pattern) : undefined,
    ]);
    const counts = {
      national: sumOfLas(la, 'national', ENROLMENT_COUNTS),
      regional: sumOfLas(la, 'regional', ENROLMENT_COUNTS),
      la,
    };
    return { counts, pattern: areaPattern(counts, GEOGRAPHY, breakdown && COHORTS[breakdown], totals) };
  }
}
