// The register checked and stored in ClickHouse (chDB, in this process), case by case against the reference reader:
// the same errors, line and column, and the rows it stores. The pseudonym and the encrypted UPN and name made in SQL
// are the JavaScript ones: the same pupil_key bytes, and UpnCipher decrypts what SQL sealed.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { UpnCipher } from '../pupils/upn-cipher.js';
import { ChdbWarehouse } from '../warehouse/chdb-warehouse.js';
import { migrate } from '../warehouse/migrations.js';
import { MarksRepository, pupilKeyParams, pupilKeySql } from './marks.repository.js';
import { checkRegisterInEngine, type EngineCheck } from './register-check.js';
import {
  layoutOf,
  parseRegister,
  PayloadTooLarge,
  readRegister,
  type ParseContext,
  type RegisterLayout,
} from './register-parser.js';
import { RegisterRepository, type RegisterRules, type StagedRegister, type StagedRows } from './register.repository.js';

const PUPIL_KEY = 'a-pupil-key-of-at-least-32-characters!';
const UPN_KEY = 'an-upn-key-of-at-least-32-characters!!';
const secrets = { pupilKey: PUPIL_KEY, upnKeyHex: UpnCipher.keyOf(UPN_KEY).toString('hex') };
const rules: RegisterRules = {
  knownUrns: [100001, 100002],
  scope: ['100001'],
  earliest: '2025-09-01',
  today: '2026-11-20',
};
const context: ParseContext = {
  knownUrns: new Set(rules.knownUrns),
  mayWrite: (urn) => urn === 100001,
  earliest: rules.earliest,
  today: rules.today,
  maxBytes: 1000,
};
/** The pseudonym as the service made it in JavaScript before the checks moved into ClickHouse. */
const jsPupilKey = (upn: string) => createHmac('sha256', PUPIL_KEY).update(upn.toUpperCase()).digest('hex');

async function* chunks(text: string | Buffer, size = 7): AsyncIterable<Buffer> {
  const buffer = Buffer.from(text);
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

let dir: string;
let warehouse: ChdbWarehouse;
let registers: RegisterRepository;
let marks: MarksRepository;
let submissions = 0;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'register-check-'));
  warehouse = new ChdbWarehouse(dir);
  await migrate(warehouse);
  // The school list the checks read: the known URNs.
  const list = rules.knownUrns.map((urn) => JSON.stringify({ urn })).join('\n');
  await warehouse.insert('schools', ['urn'], Buffer.from(list), 'JSONEachRow');
  registers = new RegisterRepository(warehouse);
  marks = new MarksRepository(warehouse);
}, 60_000);
afterAll(async () => {
  await warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The register through the checks in ClickHouse, and the reference reader's answer beside it, which must agree. */
async function checked(text: string | Buffer, maxBytes = context.maxBytes, size = 7): Promise<EngineCheck> {
  const reference = await parseRegister(chunks(text, size), { ...context, maxBytes });
  const file = await readRegister(chunks(text, size), maxBytes);
  const engine = await checkRegisterInEngine(registers, file, rules, context.mayWrite);
  if (engine.ok) {
    expect(reference).toMatchObject({ ok: true, register: { rows: engine.register.rows } });
  } else {
    expect(reference).toEqual({ ok: false, status: engine.status, errors: engine.errors });
  }
  return engine;
}

/** Stores a checked register as the service does and reads back its marks (by line order of pupil and session). */
async function stored(outcome: EngineCheck) {
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  const submission_id = `00000000-0000-0000-0000-${String(++submissions).padStart(12, '0')}`;
  try {
    await marks.store(
      [
        {
          record: {
            submission_id,
            content_sha256: submission_id,
            submitted_by: 'test',
            rows: outcome.register.rows,
            urns: [],
            dates: [],
            received_at: `2026-11-20 09:00:00.${String(submissions).padStart(6, '0')}`,
          },
          staged: outcome.register,
        },
      ],
      secrets,
    );
  } finally {
    await registers.release(outcome.register);
  }
  return warehouse.query<{
    urn: number;
    date: string;
    pupil_key: string;
    session: string;
    code: string;
    category: string;
    year_group: string;
    sex: string;
  }>(
    `SELECT urn, date, pupil_key, session, code, category, year_group, sex FROM marks
     WHERE submission_id = {id:UUID} ORDER BY date DESC, pupil_key, session`,
    { id: submission_id },
  );
}

describe('the checks in ClickHouse', () => {
  it('store valid rows with the category, the pseudonymised pupil and the slices, in any column order', async () => {
    const csv =
      'code,session,urn,date,upn,year_group,sex\n/,AM,100001,2026-11-20,A1,3,F\n\\,PM,100001,2026-11-20,A1,3,F\nI,AM,100001,2026-11-19,A2,R,\n';
    const outcome = await checked(csv);
    expect(outcome.ok && outcome.register.rows).toBe(3);
    expect(outcome.ok && [...outcome.register.slices].map(([u, d]) => `${u} ${d}`).sort()).toEqual([
      '100001 2026-11-19',
      '100001 2026-11-20',
    ]);
    const rows = await stored(outcome);
    expect(rows.map((r) => [r.urn, r.date, r.pupil_key, r.session, r.code, r.category, r.year_group, r.sex])).toEqual([
      [100001, '2026-11-20', jsPupilKey('A1'), 'AM', '/', 'present', '3', 'F'],
      [100001, '2026-11-20', jsPupilKey('A1'), 'PM', '\\', 'present', '3', 'F'],
      [100001, '2026-11-19', jsPupilKey('A2'), 'AM', 'I', 'authorised', 'R', ''],
    ]);
  });

  it('accept the same pupil-session twice with the same code (stored once), refuse it with different codes', async () => {
    const same = await checked(
      'urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3\n100001,A1,2026-11-20,AM,/,3\n',
    );
    expect(same.ok && same.register.rows).toBe(1);
    expect(await stored(same)).toHaveLength(1);
    const different = await checked(
      'urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3\n100001,A1,2026-11-20,AM,O,3\n',
    );
    expect(different).toEqual({
      ok: false,
      status: 400,
      errors: [{ line: 3, column: 5, message: expect.stringMatching(/line 2 with code \//) }],
    });
  });

  it('refuse URNs outside the submitter scope with 403', async () => {
    const outcome = await checked('urn,upn,date,session,code,year_group\n100002,A1,2026-11-20,AM,/,3\n');
    expect(outcome).toMatchObject({ ok: false, status: 403, errors: [{ line: 2, column: 1 }] });
  });

  it('check registers that arrive together each under its own submitter scope, with its own answer', async () => {
    const header = 'urn,upn,date,session,code,year_group\n';
    const other = 'upn,urn,date,session,code,year_group\n'; // another column order, in the same staging table
    const files: [string, RegisterRules, (urn: number) => boolean][] = [
      [`${header}100001,A1,2026-11-20,AM,/,3\n`, rules, (urn) => urn === 100001],
      [`${header}100002,A1,2026-11-20,AM,/,3\n`, rules, (urn) => urn === 100001],
      [`${header}100002,A1,2026-11-20,AM,/,3\n100002,A2,2026-11-20,AM,/,3\n`, { ...rules, scope: null }, () => true],
      [`${header}100001,A1,2026-11-20,AM,??,3\n`, { ...rules, scope: null }, () => true],
      [`${other}B1,100002,2026-11-20,PM,/,3\n`, { ...rules, scope: ['100002'] }, (urn) => urn === 100002],
      [header, rules, (urn) => urn === 100001],
    ];
    const outcomes = await Promise.all(
      files.map(async ([text, own, mayWrite]) =>
        checkRegisterInEngine(registers, await readRegister(chunks(text), 1000), own, mayWrite),
      ),
    );
    for (const outcome of outcomes) if (outcome.ok) await registers.release(outcome.register);
    expect(outcomes.map((o) => (o.ok ? o.register.rows : o.status))).toEqual([1, 403, 2, 400, 1, 400]);
    expect(outcomes[2].ok && outcomes[2].register.slices).toEqual([[100002, '2026-11-20']]);
    expect(!outcomes[3].ok && outcomes[3].errors).toEqual([{ line: 2, column: 5, message: expect.any(String) }]);
  });

  it('keep registers staged together apart in their shared staging table, and drop it once each is released', async () => {
    const layout = layoutOf(['urn', 'upn', 'date', 'session', 'code', 'year_group']) as RegisterLayout;
    const [one, two] = (await Promise.all([
      registers.stage(Buffer.from('100001,A1,2026-11-20,AM,/,3\n'), layout),
      registers.stage(Buffer.from('100001,B1,2026-11-20,AM,/,3\n100001,B2,2026-11-20,PM,/,3\n'), layout),
    ])) as StagedRows[];
    expect(one.table).toBe(two.table);
    const verdicts = await Promise.all([one, two].map((s) => registers.check(s, layout, { ...rules, scope: null })));
    expect(verdicts.map((v) => v.kind === 'accepted' && v.register.rows)).toEqual([1, 2]);
    const submission_id = '00000000-0000-4000-8000-0000000000b2';
    const record = { submission_id, content_sha256: submission_id, submitted_by: 'test', rows: 2, urns: [], dates: [] };
    const staged = verdicts[1].kind === 'accepted' && verdicts[1].register;
    await marks.store(
      [{ record: { ...record, received_at: '2026-11-20 09:00:00' }, staged: staged as StagedRegister }],
      secrets,
    );
    const stored = await warehouse.query<{ pupil_key: string }>(
      'SELECT pupil_key FROM marks WHERE submission_id = {id:UUID} ORDER BY session',
      { id: submission_id },
    );
    expect(stored.map((m) => m.pupil_key)).toEqual([jsPupilKey('B1'), jsPupilKey('B2')]);

    const exists = async () =>
      (await warehouse.query('SELECT 1 FROM system.tables WHERE name = {name:String}', { name: one.table })).length;
    await registers.release(one);
    expect(await exists()).toBe(1);
    await registers.release(two);
    expect(await exists()).toBe(0);
  });

  it('store files together, each of its own layout, table and submission, a repeated pupil-session once', async () => {
    // Two layouts of one width share a staging table; a third file of the first layout is staged more than 2 s later.
    const first = layoutOf(['urn', 'upn', 'date', 'session', 'code', 'year_group', 'name']) as RegisterLayout;
    const second = layoutOf(['upn', 'urn', 'session', 'date', 'year_group', 'code', 'name']) as RegisterLayout;
    const [a, b] = (await Promise.all([
      registers.stage(Buffer.from('100001,G1,2026-11-19,AM,/,3,Ann\n100001,G1,2026-11-19,AM,/,3,Ann\n'), first),
      registers.stage(Buffer.from('G2,100001,PM,2026-11-19,4,I,Bo\n'), second),
    ])) as StagedRows[];
    expect(a.table).toBe(b.table);
    const later = Date.now;
    Date.now = () => later() + 3_000;
    const c = (await registers.stage(Buffer.from('100001,G3,2026-11-19,AM,N,5,\n'), first)) as StagedRows;
    Date.now = later;
    expect(c.table).not.toBe(a.table);
    const layouts = [first, second, first];
    const verdicts = await Promise.all(
      [a, b, c].map((staged, i) => registers.check(staged, layouts[i], { ...rules, scope: null })),
    );
    const files = verdicts.map((v, i) => {
      if (v.kind !== 'accepted') throw new Error(JSON.stringify(v));
      const submission_id = `00000000-0000-4000-8000-0000000000c${i}`;
      const record = { submission_id, content_sha256: submission_id, submitted_by: 'test', rows: v.register.rows };
      return { record: { ...record, urns: [], dates: [], received_at: `2026-11-20 09:00:0${i}` }, staged: v.register };
    });
    await marks.store(files, secrets);
    for (const staged of [a, b, c]) await registers.release(staged);
    const rows = await warehouse.query<{ id: string; received_at: string; pupil_key: string; code: string }>(
      `SELECT toString(submission_id) AS id, toString(received_at) AS received_at, pupil_key, code FROM marks
       WHERE submission_id IN {ids:Array(UUID)} ORDER BY id`,
      { ids: files.map((f) => f.record.submission_id) },
    );
    expect(rows).toEqual([
      {
        id: files[0].record.submission_id,
        received_at: '2026-11-20 09:00:00.000000',
        pupil_key: jsPupilKey('G1'),
        code: '/',
      },
      {
        id: files[1].record.submission_id,
        received_at: '2026-11-20 09:00:01.000000',
        pupil_key: jsPupilKey('G2'),
        code: 'I',
      },
      {
        id: files[2].record.submission_id,
        received_at: '2026-11-20 09:00:02.000000',
        pupil_key: jsPupilKey('G3'),
        code: 'N',
      },
    ]);
    const cipher = new UpnCipher(UPN_KEY);
    const names = await warehouse.query<{ pupil_key: string; name_encrypted: string }>(
      'SELECT pupil_key, name_encrypted FROM pupil_names FINAL WHERE pupil_key IN {keys:Array(String)} ORDER BY pupil_key',
      { keys: ['G1', 'G2', 'G3'].map(jsPupilKey) },
    );
    expect(names.map((n) => [n.pupil_key, cipher.decrypt(n.name_encrypted)]).sort()).toEqual(
      [
        [jsPupilKey('G1'), 'Ann'],
        [jsPupilKey('G2'), 'Bo'],
      ].sort(),
    );
    const identities = await warehouse.query<{ upn_encrypted: string }>(
      'SELECT upn_encrypted FROM pupil_identities FINAL WHERE pupil_key IN {keys:Array(String)}',
      { keys: ['G1', 'G2', 'G3'].map(jsPupilKey) },
    );
    expect(identities.map((i) => cipher.decrypt(i.upn_encrypted)).sort()).toEqual(['G1', 'G2', 'G3']);
  });

  it('list at most 100 errors', async () => {
    const rows = Array.from({ length: 150 }, () => '100001,A1,2026-11-20,AM,??,3').join('\n');
    const outcome = await checked(`urn,upn,date,session,code,year_group\n${rows}`, 1e6, 4096);
    expect(!outcome.ok && outcome.errors.length).toBe(100);
  });

  it('stop reading a streamed body past the size limit', async () => {
    const rows = '100001,A1,2026-11-20,AM,/,3\n'.repeat(100);
    await expect(readRegister(chunks(`urn,upn,date,session,code,year_group\n${rows}`), 1000)).rejects.toBeInstanceOf(
      PayloadTooLarge,
    );
  });

  it('say on which line a NUL byte, broken quoting or a ragged row is', async () => {
    const nul = await checked(
      'urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3\n100001,A\u00002,2026-11-20,AM,/,3\n',
    );
    expect(nul).toMatchObject({ ok: false, errors: [{ line: 3, message: expect.stringMatching(/NUL/) }] });
    const quote = await checked(
      'urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3\n100001,"A2,2026-11-20,AM,/,3\n',
    );
    expect(quote).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/malformed/) }] });
    const ragged = await checked('urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3,extra\n');
    expect(ragged).toMatchObject({ ok: false, errors: [{ line: 2 }] });
  });

  it('word every row check as the reference reader does, with its line and column', async () => {
    const csv =
      'upn,urn,date,session,code,year_group,sex,fsm,sen,eal,ethnicity,cin,cla,lsoa\n' +
      'A1,1x,2026-11-20,AM,/,3,F,N,N,N,WHIT,N,N,E01000001\n' +
      'A1,999999,2026-11-20,AM,/,3,,,,,,,,\n' +
      'A-1,0100001,2026-02-30,XM,Q,15,G,P,Z,Q,ABCD,Q,Q,E02000001\n' +
      'A2,100001,2025-08-31,am,/,r,f,y,k,y,asia,y,y,e01000002\n' +
      'A3,100001,2026-11-20,PM,c1,n1,,,,,,,,\n' +
      `${'B'.repeat(50)},100001,1999-13-01,PM,/,3,,,,,,,,\n` +
      'A4,100001,0000-02-29,PM,/,3,,,,,,,,\n';
    const outcome = await checked(csv, 1e6);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.length).toBeGreaterThan(15);
  });

  it.each([
    ['the tests’ key', PUPIL_KEY],
    ['a key longer than SHA-256’s block', 'k'.repeat(65)],
    ['a key of non-ASCII characters', 'clé-secrète-£'],
  ])('pseudonymise every UPN as the JavaScript HMAC did, byte for byte, under %s', async (_, key) => {
    const upns = ['A123456789012', 'a123456789012', 'Z9', '0', 'x'.repeat(32), 'K801200001001'];
    const rows = await warehouse.query<{ upn: string; key: string }>(
      `SELECT upn, ${pupilKeySql('upn')} AS key FROM (SELECT arrayJoin({upns:Array(String)}) AS upn)`,
      { upns, ...pupilKeyParams(key) },
    );
    expect(rows.map((r) => [r.upn, r.key])).toEqual(
      upns.map((upn) => [upn, createHmac('sha256', key).update(upn.toUpperCase()).digest('hex')]),
    );
  });

  it("stores a pupil's identity once: not again for a pupil rolled up at the school in the weeks before, nor for one stored at another school", async () => {
    const plain = 'urn,upn,date,session,code,year_group\n';
    const rowsOf = async (upns: string[]) =>
      Object.fromEntries(
        (
          await warehouse.query<{ pupil_key: string; rows: number }>(
            `SELECT pupil_key, count() AS rows FROM pupil_identities WHERE pupil_key IN {keys:Array(String)} GROUP BY pupil_key`,
            { keys: upns.map(jsPupilKey) },
          )
        ).map((r) => [r.pupil_key, Number(r.rows)]),
      );
    await stored(await checked(`${plain}100001,W1,2026-11-09,AM,/,3\n100001,W2,2026-11-09,AM,/,3\n`));
    // W1's week at the school rolled up (as the worker would); W2's not yet.
    await warehouse.command(
      "INSERT INTO pupil_weekly (week, urn, pupil_key, computed_at) VALUES ('2026-11-09', 100001, {key:String}, now64(6))",
      { key: jsPupilKey('W1') },
    );
    await stored(
      await checked(`${plain}100001,W1,2026-11-16,AM,/,3\n100001,W2,2026-11-16,AM,/,3\n100001,W3,2026-11-16,AM,/,3\n`),
    );
    // W1 at another school, where it was never rolled up: looked up, and found.
    const elsewhere = await checkRegisterInEngine(
      registers,
      await readRegister(chunks(`${plain}100002,W1,2026-11-17,AM,/,3\n`), 1000),
      { ...rules, scope: ['100002'] },
      (urn) => urn === 100002,
    );
    await stored(elsewhere);
    expect(await rowsOf(['W1', 'W2', 'W3'])).toEqual({
      [jsPupilKey('W1')]: 1,
      [jsPupilKey('W2')]: 1,
      [jsPupilKey('W3')]: 1,
    });
    // Every pupil with marks has an identity.
    const [orphans] = await warehouse.query<{ n: number }>(
      'SELECT count() AS n FROM marks WHERE pupil_key NOT IN (SELECT pupil_key FROM pupil_identities)',
    );
    expect(Number(orphans.n)).toBe(0);
  });

  describe('the optional name column', () => {
    const header = 'urn,upn,date,session,code,year_group,name\n';
    const cipher = new UpnCipher(UPN_KEY);

    it('keeps one name per school and pupil, encrypted apart from the marks, and none for an empty cell', async () => {
      const csv =
        header +
        '100001,N1,2026-11-20,AM,/,3,Ada Lovelace\n100001,N1,2026-11-20,PM,\\,3,Ada Lovelace\n' +
        "100001,N2,2026-11-20,AM,/,4,\n100001,N3,2026-11-20,AM,/,4,Zoe\u0308 O'Brien-Nkemelu\n";
      const outcome = await checked(csv, 1e6);
      expect(outcome.ok && outcome.register.rows).toBe(4);
      await stored(outcome);
      const names = await warehouse.query<{ pupil_key: string; name_encrypted: string }>(
        `SELECT pupil_key, name_encrypted FROM pupil_names FINAL WHERE urn = 100001 AND pupil_key IN {keys:Array(String)}
         ORDER BY pupil_key`,
        { keys: ['N1', 'N2', 'N3'].map(jsPupilKey) },
      );
      expect(names.map((n) => [n.pupil_key, cipher.decrypt(n.name_encrypted)]).sort()).toEqual(
        [
          [jsPupilKey('N1'), 'Ada Lovelace'],
          [jsPupilKey('N3'), "Zoë O'Brien-Nkemelu"],
        ].sort(),
      );
      const identities = await warehouse.query<{ pupil_key: string; upn_encrypted: string }>(
        `SELECT pupil_key, upn_encrypted FROM pupil_identities FINAL WHERE pupil_key IN {keys:Array(String)}`,
        { keys: ['N1', 'N2', 'N3'].map(jsPupilKey) },
      );
      expect(identities.map((i) => cipher.decrypt(i.upn_encrypted)).sort()).toEqual(['N1', 'N2', 'N3']);
      // A pupil stored before keeps their identity row: it is not written again.
      const again = await checked(
        'urn,upn,date,session,code,year_group\n100001,n1,2026-11-19,AM,/,3\n100001,N4,2026-11-19,AM,/,3\n',
      );
      await stored(again);
      const written = await warehouse.query<{ pupil_key: string; rows: number }>(
        `SELECT pupil_key, count() AS rows FROM pupil_identities WHERE pupil_key IN {keys:Array(String)} GROUP BY pupil_key`,
        { keys: ['N1', 'N4'].map(jsPupilKey) },
      );
      expect(Object.fromEntries(written.map((w) => [w.pupil_key, Number(w.rows)]))).toEqual({
        [jsPupilKey('N1')]: 1,
        [jsPupilKey('N4')]: 1,
      });
    });

    it('refuses a name too long (2 MB too), with a control character, without a letter, or two for one pupil', async () => {
      const long = 'A'.repeat(101);
      const rows = [
        `100001,A1,2026-11-20,AM,/,3,${'é'.repeat(100)}`,
        `100001,A2,2026-11-20,AM,/,3,${long}`,
        '100001,A4,2026-11-20,AM,/,3,Ada\u202Eecalevol',
        '100001,A5,2026-11-20,AM,/,3,Ada\tLovelace',
        '100001,A6,2026-11-20,AM,/,3,1234',
        '100001,A7,2026-11-20,AM,/,3,Ada Byron',
        '100001,A7,2026-11-20,PM,\\,3,Ada Lovelace',
        `100001,A8,2026-11-20,AM,/,3,${'Ada '.repeat(500_000)}`,
      ];
      const control = 'name holds a control character (a tab, line break or text direction mark)';
      // Without a line break in a cell: the lines are the engine's own.
      const plain = await checked(`${header}${rows.join('\n')}\n`, 3e6, 65536);
      expect(plain).toEqual({
        ok: false,
        status: 400,
        errors: [
          { line: 3, column: 7, message: 'name is longer than 100 characters' },
          { line: 4, column: 7, message: control },
          { line: 5, column: 7, message: control },
          { line: 6, column: 7, message: 'name has no letter in it' },
          { line: 8, column: 7, message: 'A7 has another name on line 7: send one name per pupil' },
          { line: 9, column: 7, message: 'name is longer than 100 characters' },
        ],
      });
      // With one (a quoted line break): the reference reader places the rows after it.
      rows.splice(2, 0, '100001,A3,2026-11-20,AM,/,3,"Ada\nLovelace"');
      const quoted = await checked(`${header}${rows.join('\n')}\n`, 3e6, 65536);
      expect(quoted).toEqual({
        ok: false,
        status: 400,
        errors: [
          { line: 3, column: 7, message: 'name is longer than 100 characters' },
          { line: 5, column: 7, message: control },
          { line: 6, column: 7, message: control },
          { line: 7, column: 7, message: control },
          { line: 8, column: 7, message: 'name has no letter in it' },
          { line: 10, column: 7, message: 'A7 has another name on line 9: send one name per pupil' },
          { line: 11, column: 7, message: 'name is longer than 100 characters' },
        ],
      });
      expect(JSON.stringify([plain, quoted])).not.toMatch(/AAAA|Lovelace|Byron|1234/);
    });

    it('stores a quoted name with a doubled quote, read by the reference reader and re-written', async () => {
      const outcome = await checked(`${header}100001,Q1,2026-11-20,AM,/,3,"Ada ""Countess"" Lovelace"\n`, 1e6);
      await stored(outcome);
      const [name] = await warehouse.query<{ name_encrypted: string }>(
        `SELECT name_encrypted FROM pupil_names FINAL WHERE pupil_key = {key:String}`,
        { key: jsPupilKey('Q1') },
      );
      expect(cipher.decrypt(name.name_encrypted)).toBe('Ada "Countess" Lovelace');
    });
  });
});
