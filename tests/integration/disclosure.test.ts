// Disclosure control end to end, as an attacker with the public API and a spreadsheet would try it: random registers
// of a few small schools in four LAs of two regions, every area answer of the period asked as the public and as DfE
// (with and without a breakdown, every school for DfE), then (1) no figure shown to them is of fewer than 2 schools or
// 10 pupils (a school's, for DfE, of fewer than 10), and (2) no such hidden figure can be solved for from everything
// they were shown (tests/support/linear-check.ts).
import { afterAll, describe, expect, it } from '@jest/globals';
import { post, settled, startServer, type TestServer } from '../support/server.js';
import { solvable, type SumEquation } from '../support/linear-check.js';
import type { EesRow } from '../../server/src/contract/ees.js';
import type { LaNeighbourhoods, MeasuresResult, SchoolOverview } from '../../server/src/contract/api.js';

const DAY = '2025-11-12';
const LAS = [
  { code: '202', region: 'E12000007' },
  { code: '206', region: 'E12000007' },
  { code: '805', region: 'E12000001' },
  { code: '806', region: 'E12000001' },
];
const PHASES = ['Primary', 'Secondary', 'Special'] as const;
const GIAS_PHASE = {
  Primary: ['Community school', 'Primary', 4],
  Secondary: ['Community school', 'Secondary', 9],
  Special: ['Community special school', 'Not applicable', 5],
} as const;
const FSM = { Y: 'FSM eligible', N: 'Not known to be FSM eligible' } as const;

interface School {
  urn: number;
  la: string;
  region: string;
  phase: (typeof PHASES)[number];
  pupils: { fsm: 'Y' | 'N'; absent: number }[];
}

function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

function world(seed: number): School[] {
  const next = random(seed);
  const schools: School[] = [];
  let urn = 930000 + seed * 100;
  for (const la of LAS) {
    for (let i = 0; i < 1 + Math.floor(next() * 3); i++) {
      const phase = PHASES[Math.floor(next() ** 1.5 * 3)];
      const pupils = Array.from({ length: 1 + Math.floor(next() * 24) }, () => ({
        fsm: next() < 0.3 ? ('Y' as const) : ('N' as const),
        absent: Math.floor(next() * 3),
      }));
      schools.push({ urn: urn++, la: la.code, region: la.region, phase, pupils });
    }
  }
  return schools;
}

function gias(schools: School[]): string {
  const rows = schools.map(
    (s) => `${s.urn},${s.la},School ${s.urn},${GIAS_PHASE[s.phase][0]},Open,${GIAS_PHASE[s.phase][1]}`,
  );
  return [
    'URN,LA (code),EstablishmentName,TypeOfEstablishment (name),EstablishmentStatus (name),PhaseOfEducation (name)',
    ...rows,
  ].join('\n');
}

function register(schools: School[]): string {
  const rows = ['urn,upn,date,session,code,year_group,fsm,lsoa'];
  for (const s of schools) {
    s.pupils.forEach((p, i) => {
      const tail = `${GIAS_PHASE[s.phase][2]},${p.fsm},E01000907`;
      rows.push(
        `${s.urn},Q${s.urn}x${i},${DAY},AM,${p.absent >= 1 ? 'O' : '/'},${tail}`,
        `${s.urn},Q${s.urn}x${i},${DAY},PM,${p.absent >= 2 ? 'I' : '\\'},${tail}`,
      );
    });
  }
  return `${rows.join('\n')}\n`;
}

/** The true enrolments and schools of every cell, named level|geo|phase|cohort. */
function truth(schools: School[]): Map<string, { pupils: number; schools: Set<number> }> {
  const cells = new Map<string, { pupils: number; schools: Set<number> }>();
  const add = (k: string, s: School, n: number) => {
    if (!n) return;
    const c = cells.get(k) ?? { pupils: 0, schools: new Set() };
    c.pupils += n;
    c.schools.add(s.urn);
    cells.set(k, c);
  };
  for (const s of schools) {
    for (const [level, geo] of [
      ['national', ''],
      ['regional', s.region],
      ['la', s.la],
    ]) {
      for (const phase of [s.phase, 'Total']) add(`${level}|${geo}|${phase}|`, s, s.pupils.length);
      for (const [code, label] of Object.entries(FSM))
        add(`${level}|${geo}|Total|${label}`, s, s.pupils.filter((p) => p.fsm === code).length);
    }
    add(`school|${s.urn}|${s.phase}|`, s, s.pupils.length);
  }
  return cells;
}

function equations(schools: School[], withSchools: boolean): SumEquation[] {
  const eqs: SumEquation[] = [];
  const regions = [...new Set(LAS.map((l) => l.region))];
  const columns = [
    ...[...PHASES, 'Total'].map((p) => [p, ''] as const),
    ...Object.values(FSM).map((c) => ['Total', c] as const),
  ];
  for (const [phase, cohort] of columns) {
    eqs.push({ total: `national||${phase}|${cohort}`, parts: regions.map((r) => `regional|${r}|${phase}|${cohort}`) });
    for (const r of regions)
      eqs.push({
        total: `regional|${r}|${phase}|${cohort}`,
        parts: LAS.filter((l) => l.region === r).map((l) => `la|${l.code}|${phase}|${cohort}`),
      });
  }
  for (const [level, geo] of [
    ['national', ''],
    ...regions.map((r) => ['regional', r]),
    ...LAS.map((l) => ['la', l.code]),
  ]) {
    eqs.push({ total: `${level}|${geo}|Total|`, parts: PHASES.map((p) => `${level}|${geo}|${p}|`) });
    eqs.push({ total: `${level}|${geo}|Total|`, parts: Object.values(FSM).map((c) => `${level}|${geo}|Total|${c}`) });
  }
  for (const la of withSchools ? LAS : []) {
    const own = schools.filter((s) => s.la === la.code);
    for (const phase of PHASES)
      eqs.push({
        total: `la|${la.code}|${phase}|`,
        parts: own.filter((s) => s.phase === phase).map((s) => `school|${s.urn}|${phase}|`),
      });
    eqs.push({ total: `la|${la.code}|Total|`, parts: own.map((s) => `school|${s.urn}|${s.phase}|`) });
  }
  return eqs;
}

const cellOf = (level: string, row: EesRow) =>
  `${level}|${level === 'national' ? '' : level === 'regional' ? row.region_code : level === 'la' ? row.old_la_code : row.school_urn}|${row.education_phase}|${row.breakdown === 'Total' ? '' : row.breakdown}`;

describe.each([3, 7, 11])('random registers (seed %i)', (seed) => {
  let server: TestServer;
  const schools = world(seed);
  const cells = truth(schools);
  afterAll(() => server?.stop());

  it('show the public and DfE no small figure, and leave none to be solved for across their answers', async () => {
    server = await startServer();
    expect((await post(server, '/api/v1/reference/schools', gias(schools), server.token('admin'))).status).toBe(201);
    expect((await post(server, '/api/v1/submissions', register(schools), server.token('submitter'))).status).toBe(202);
    await settled(server);
    for (const viewer of ['public', 'dfe'] as const) {
      const token = viewer === 'dfe' ? server.token('dfe') : undefined;
      const shown = new Map<string, number | string>();
      const levels = viewer === 'dfe' ? ['national', 'regional', 'la', 'school'] : ['national', 'regional', 'la'];
      for (const level of levels) {
        for (const breakdown of level === 'school' ? [''] : ['', '&breakdown=fsm']) {
          const response = await fetch(
            `${server.url}/api/v1/measures?level=${level}&from=${DAY}&to=${DAY}${breakdown}`,
            { headers: token ? { authorization: `Bearer ${token}` } : {} },
          );
          expect(response.status).toBe(200);
          for (const row of ((await response.json()) as MeasuresResult).rows) {
            if (level === 'school' && row.education_phase === 'Total') continue;
            shown.set(cellOf(level, row), row.possible_sessions as number | string);
          }
        }
      }
      const small = (k: string) => {
        const c = cells.get(k)!;
        return k.startsWith('school|') || viewer === 'dfe' ? c.pupils < 10 : c.pupils < 10 || c.schools.size < 2;
      };
      // Every non-empty cell not shown with a number is unknown to the viewer: hidden, or left out.
      const unknown = new Set(
        [...cells.keys()].filter(
          (k) => typeof shown.get(k) !== 'number' && (viewer === 'dfe' || !k.startsWith('school|')),
        ),
      );
      for (const [k, value] of shown)
        if (typeof value === 'number' && value > 0) expect([k, small(k)]).toEqual([k, false]);
      const sensitive = [...unknown].filter(small);
      expect(solvable(equations(schools, viewer === 'dfe'), unknown).filter((k) => sensitive.includes(k))).toEqual([]);
    }
  }, 120_000);

  it('merge small neighbourhoods and keep a comparator group of under 5 schools from a school', async () => {
    for (const la of LAS) {
      const { body } = await (
        await fetch(`${server.url}/api/v1/las/${la.code}/neighbourhoods?from=${DAY}&to=${DAY}`)
      )
        .json()
        .then((b) => ({ body: b as LaNeighbourhoods }));
      for (const area of body.areas)
        if (typeof area.pupils === 'number') expect(area.pupils).toBeGreaterThanOrEqual(10);
    }
    const school = schools[0];
    const overview = (await (
      await fetch(`${server.url}/api/v1/schools/${school.urn}/overview?from=${DAY}&to=${DAY}`, {
        headers: { authorization: `Bearer ${server.token('school', [String(school.urn)])}` },
      })
    ).json()) as SchoolOverview;
    const group = overview.comparatorGroup;
    if (group.schools < 5) expect(group.row.overall_absence_perc).toBe('c');
    else expect(typeof group.row.possible_sessions).toBe('string');
  });
});
