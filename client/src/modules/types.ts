// Shapes of the server's JSON answers: the server's own contract, plus what the client reads from the boundary file.
export type { Cell, EesRow as MeasuresRow, Frame, LocalAuthority, MeasuresResult, PhaseName as Phase, Status } from '../../../server/src/api-contract.ts';

export interface BoundaryCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { code: string; name: string }; geometry: unknown }[];
}
