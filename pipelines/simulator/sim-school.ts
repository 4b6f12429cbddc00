// A simulated school: what the GIAS file, the pupils and the registers of the simulator are made from.
import type { SimPhase } from './calibration.js';
import type { Season } from './season.js';

export interface SimSchool {
  urn: number;
  laCode: string;
  laGss: string;
  laName: string;
  regionCode: string;
  name: string;
  phase: SimPhase;
  phaseOfEducation: string;
  type: string;
  pupils: number;
  fsmPercent: number;
  sixthForm: boolean;
  trustCode: string;
  trustName: string;
  /** Codes in ONS's shape (E01..., E02...), unnamed: a simulated school is nowhere real. */
  lsoa: string;
  msoa: string;
  /** The LSOAs the school's pupils live in: its own and those of the other schools in its LA. */
  homeLsoas: string[];
  ofstedLastInspection: string;
  /** The school's overall absence (a share of its counted pupils' possible sessions): its LA's, spread over schools. */
  absence: number;
  /** The share of its counted pupils who are persistently absent, spread across schools with their absence. */
  persistentAbsence: number;
  /** The year whose shape the school's absence follows, up to the live date. */
  season: Season;
}
