import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LocalAuthority {
  /** 3-digit DfE code (old_la_code), as GIAS and scopes use it. */
  code: string;
  /** GSS code (new_la_code), as the boundaries use it. */
  gss: string;
  name: string;
  regionCode: string;
  regionName: string;
  geoNeighbours: string[];
  statNeighbours: string[];
}

/** The 153 LAs: derived from ../shared/data/geo/local-authorities.csv by pipelines/reference/derive-reference.ts. */
export const LOCAL_AUTHORITIES: readonly LocalAuthority[] = JSON.parse(
  readFileSync(join(process.cwd(), 'server/src/reference/local-authorities.json'), 'utf8'),
);
export const LA_BY_CODE: ReadonlyMap<string, LocalAuthority> = new Map(LOCAL_AUTHORITIES.map((la) => [la.code, la]));

export const REGIONS: ReadonlyMap<string, string> = new Map(LOCAL_AUTHORITIES.map((la) => [la.regionCode, la.regionName]));
