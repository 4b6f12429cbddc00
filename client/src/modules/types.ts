// Shapes of the server's JSON answers: the server's own contract (server/src/contract/api.ts).
export type {
  Alerts, BoundaryCollection, Breakdown, Cell, CohortGap, TrustOverview, InspectionPriorities, InspectionPriority, SchoolOverview, SchoolSummary, EesRow as MeasuresRow, Frame, LaCohorts, LaComparison, LaNeighbourhoods, LaSchool, LaSchools, LaTarget, Level, LocalAuthority, MeasuresResult,
  Neighbourhood, PhaseName as Phase, Programme, ProgrammeEvaluation, PupilRecord, SchoolPupils, Status, TargetCohort,
} from '@contract/api.ts';
