// Pupils' home areas carry real names only: the MSOA names the school list (GIAS) gives, else the codes themselves.
//
// Camden (202), one day (2026-11-09), AM and PM, every pupil present; 10 pupils a school, year 4.
// GIAS (the school list) places the schools:
//   E1 960001 in LSOA E01000907, MSOA E02000166, named "Camden 001" (and the LSOA "Camden 001A");
//   E2 960002 in LSOA E01000908, MSOA E02000166, no names in its row (an older extract);
//   E3 960003 in LSOA E01000909, MSOA E02000167, no names; E4 960004 in LSOA E01000910, MSOA E02000167, no names;
//   E5 960005 in LSOA E01000911, no MSOA, LSOA named "Camden 005C".
// Pupils' homes: E1's in E01000907, E2's in E01000908 -> both LSOAs in E02000166, named by E1's row: "Camden 001",
//   20 pupils. E3's and E4's in E01000909 and E01000910 -> MSOA E02000167, which no row names: "E02000167", 20 pupils.
//   E5's: 4 in E01000911 (GIAS names the LSOA: "Camden 005C", no MSOA), 3 in E01000999 (no school there: its code),
//   3 with no LSOA in their marks ("Home area not known").
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import type { LaNeighbourhoods } from '../../server/src/contract/api.js';

const DAY = '2026-11-09';
const GIAS = [
  'URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name),LSOA (code),LSOA (name),MSOA (code),MSOA (name)',
  '960001,202,East One,Community school,Open,Primary,E01000907,Camden 001A,E02000166,Camden 001',
  '960002,202,East Two,Community school,Open,Primary,E01000908,,E02000166,',
  '960003,202,East Three,Community school,Open,Primary,E01000909,,E02000167,',
  '960004,202,East Four,Community school,Open,Primary,E01000910,,E02000167,',
  '960005,202,East Five,Community school,Open,Primary,E01000911,Camden 005C,,',
].join('\n');

function register(): string {
  const rows = ['urn,upn,date,session,code,year_group,lsoa'];
  const homes: Record<number, (i: number) => string> = {
    960001: () => 'E01000907',
    960002: () => 'E01000908',
    960003: () => 'E01000909',
    960004: () => 'E01000910',
    960005: (i) => (i <= 4 ? 'E01000911' : i <= 7 ? 'E01000999' : ''),
  };
  for (const [urn, home] of Object.entries(homes))
    for (let i = 1; i <= 10; i++)
      rows.push(`${urn},N${urn}x${i},${DAY},AM,/,4,${home(i)}`, `${urn},N${urn}x${i},${DAY},PM,\\,4,${home(i)}`);
  return `${rows.join('\n')}\n`;
}

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  expect((await post(server, '/api/v1/reference/schools', GIAS, server.token('admin'))).status).toBe(201);
  expect((await post(server, '/api/v1/submissions', register(), server.token('submitter'))).status).toBe(202);
  await settled(server);
}, 90_000);

afterAll(() => server?.stop());

it('names an MSOA as GIAS does, or by its code; a lone LSOA by its GIAS name or code; nothing made up', async () => {
  const response = await fetch(`${server.url}/api/v1/las/202/neighbourhoods?from=${DAY}&to=${DAY}`, {
    headers: { authorization: `Bearer ${server.token('la', ['202'])}` },
  });
  expect(response.status).toBe(200);
  const { areas } = (await response.json()) as LaNeighbourhoods;
  // Nobody absent: every area at 0%, so the rows come in name order.
  expect(areas.map((a) => [a.name, a.code, a.lsoas, a.pupils])).toEqual([
    ['Camden 001', 'E02000166', ['E01000907', 'E01000908'], 20],
    ['Camden 005C', 'E01000911', ['E01000911'], 4],
    ['E01000999', 'E01000999', ['E01000999'], 3],
    ['E02000167', 'E02000167', ['E01000909', 'E01000910'], 20],
    ['Home area not known', null, [], 3],
  ]);
});

it('keeps the names for viewers without rights, small areas merged as before', async () => {
  const response = await fetch(`${server.url}/api/v1/las/202/neighbourhoods?from=${DAY}&to=${DAY}`, {
    headers: { authorization: `Bearer ${server.token('dfe')}` },
  });
  const { areas, suppressed } = (await response.json()) as LaNeighbourhoods;
  expect(suppressed).toBe(true);
  // Under 10 pupils: Camden 005C (4), E01000999 (3) and not known (3), merged: 10 pupils but of one school (E5), so
  // still small: hidden with the smallest other area, a tie of 20 pupils taken by name ("Camden 001" first).
  expect(areas.map((a) => [a.name, a.code, a.lsoas, a.pupils])).toEqual([
    ['Camden 001', 'E02000166', ['E01000907', 'E01000908'], 'c'],
    ['E02000167', 'E02000167', ['E01000909', 'E01000910'], 20],
    ['Other home areas (each under 10 pupils or 2 schools)', null, [], 'c'],
  ]);
});
