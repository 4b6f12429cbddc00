// Shapes of the server's JSON answers: the server's own contract, plus what the client reads from the boundary file.
export type {
  Alerts, Cell, CohortGap, TrustOverview, InspectionPriorities, InspectionPriority, SchoolOverview, SchoolSummary, EesRow as MeasuresRow, Frame, LaCohorts, LaComparison, LaNeighbourhoods, LaSchool, LaSchools, LaTarget, LocalAuthority, MeasuresResult,
  Neighbourhood, PhaseName as Phase, Programme, ProgrammeEvaluation, PupilRecord, SchoolPupils, Status, TargetCohort,
} from '../../../server/src/api-contract.ts';

export interface BoundaryCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { code: string; name: string }; geometry: unknown }[];
}
