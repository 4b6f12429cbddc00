// A simulated school: what the GIAS file, the pupils and the registers of the simulator are made from.
import type { SimPhase } from './calibration.js';

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
  lsoa: string;
  /** ONS-style names, as GIAS gives them: "Camden 012B" in MSOA "Camden 012". */
  lsoaName: string;
  msoa: string;
  msoaName: string;
  /** The LSOAs the school's pupils live in: its own and those of the other schools in its LA. */
  homeLsoas: string[];
  ofstedLastInspection: string;
}
