import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalAuthority } from '../contract/api.js';

export type { LocalAuthority };

/** The 153 LAs: derived from ../shared/data/geo/local-authorities.csv by pipelines/reference/derive-reference.ts. */
export const LOCAL_AUTHORITIES: readonly LocalAuthority[] = JSON.parse(
  readFileSync(join(process.cwd(), 'server/src/reference/local-authorities.json'), 'utf8'),
);
export const LA_BY_CODE: ReadonlyMap<string, LocalAuthority> = new Map(LOCAL_AUTHORITIES.map((la) => [la.code, la]));

export const REGIONS: ReadonlyMap<string, string> = new Map(
  LOCAL_AUTHORITIES.map((la) => [la.regionCode, la.regionName]),
);
