import { parseRegister, PayloadTooLarge, type ParseContext } from './register-parser.js';

const context: ParseContext = {
  knownUrns: new Set([100001, 100002]),
  mayWrite: (urn) => urn === 100001,
  earliest: '2025-09-01',
  today: '2026-11-20',
  maxBytes: 1000,
};

async function* chunks(text: string | Buffer, size = 7): AsyncIterable<Buffer> {
  const buffer = Buffer.from(text);
  for (let i = 0; i < buffer.length; i += size) yield buffer.subarray(i, i + size);
}

// The reference reader: it answers for the files the engine reads otherwise (register-check.ts), with the errors the
// checks in ClickHouse give for the rest (register-check.spec.ts runs these cases there too), and re-writes the rows
// of a file it accepts as plain CSV for the engine to store.
describe('parseRegister', () => {
  it("re-writes valid rows in the fields' order, upper-cased as checked, in any column order", async () => {
    const csv =
      'code,session,urn,date,upn,year_group,sex\n/,AM,100001,2026-11-20,A1,3,F\n\\,pm,100001,2026-11-20,A1,3,F\nI,AM,100001,2026-11-19,A2,r,\n';
    const outcome = await parseRegister(chunks(csv), context);
    if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
    const lines = outcome.register.csv
      .toString()
      .trim()
      .split('\n')
      .map((l) => l.split(','));
    expect(lines[0].slice(0, 7)).toEqual(['100001', 'A1', '2026-11-20', 'AM', '/', '3', 'F']);
    expect(lines[1].slice(3, 5)).toEqual(['PM', '\\']);
    expect(lines[2].slice(4, 6)).toEqual(['I', 'R']);
    expect(lines.every((l) => l.length === 15)).toBe(true);
    expect(outcome.register.rows).toBe(3);
    expect(outcome.register.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('accepts the same pupil-session twice with the same code, refuses it with different codes', async () => {
    const same = await parseRegister(
      chunks('urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3\n100001,A1,2026-11-20,AM,/,3\n'),
      context,
    );
    expect(same.ok && same.register.rows).toBe(1);
    const different = await parseRegister(
      chunks('urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3\n100001,A1,2026-11-20,AM,O,3\n'),
      context,
    );
    expect(different).toEqual({
      ok: false,
      status: 400,
      errors: [{ line: 3, column: 5, message: expect.stringMatching(/line 2 with code \//) }],
    });
  });

  it('refuses URNs outside the submitter scope with 403', async () => {
    const outcome = await parseRegister(
      chunks('urn,upn,date,session,code,year_group\n100002,A1,2026-11-20,AM,/,3\n'),
      context,
    );
    expect(outcome).toMatchObject({ ok: false, status: 403, errors: [{ line: 2, column: 1 }] });
  });

  it('lists at most 100 errors', async () => {
    const rows = Array.from({ length: 150 }, () => '100001,A1,2026-11-20,AM,??,3').join('\n');
    const outcome = await parseRegister(chunks(`urn,upn,date,session,code,year_group\n${rows}`, 4096), {
      ...context,
      maxBytes: 1e6,
    });
    expect(!outcome.ok && outcome.errors.length).toBe(100);
  });

  it('stops reading a streamed body past the size limit', async () => {
    const rows = '100001,A1,2026-11-20,AM,/,3\n'.repeat(100);
    await expect(
      parseRegister(chunks(`urn,upn,date,session,code,year_group\n${rows}`), context),
    ).rejects.toBeInstanceOf(PayloadTooLarge);
  });

  it('says on which line a NUL byte or broken quoting is', async () => {
    const nul = await parseRegister(
      chunks('urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3\n100001,A\u00002,2026-11-20,AM,/,3\n'),
      context,
    );
    expect(nul).toMatchObject({ ok: false, errors: [{ line: 3, message: expect.stringMatching(/NUL/) }] });
    const quote = await parseRegister(
      chunks('urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3\n100001,"A2,2026-11-20,AM,/,3\n'),
      context,
    );
    expect(quote).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/malformed/) }] });
    const ragged = await parseRegister(
      chunks('urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3,extra\n'),
      context,
    );
    expect(ragged).toMatchObject({ ok: false, errors: [{ line: 2 }] });
  });

  describe('the optional name column', () => {
    const header = 'urn,upn,date,session,code,year_group,name\n';
    const maxBytes = 1e6;

    it('re-writes each row with its name, normalised, quoted where CSV needs it, and none for an empty cell', async () => {
      const csv =
        header +
        '100001,A1,2026-11-20,AM,/,3,Ada Lovelace\n100001,A1,2026-11-20,PM,\\,3,Ada Lovelace\n' +
        '100001,A2,2026-11-20,AM,/,4,\n100001,A3,2026-11-20,AM,/,4,"Zoe\u0308 O\'Brien, Nkemelu"\n';
      const outcome = await parseRegister(chunks(csv), { ...context, maxBytes });
      if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
      expect(
        outcome.register.csv
          .toString()
          .trim()
          .split('\n')
          .map((l) => l.slice(l.lastIndexOf(',,') + 2)),
      ).toEqual(['Ada Lovelace', 'Ada Lovelace', '', '"Zoë O\'Brien, Nkemelu"']);
      expect(outcome.register.rows).toBe(4);
      const without = await parseRegister(
        chunks('urn,upn,date,session,code,year_group\n100001,A1,2026-11-20,AM,/,3\n'),
        context,
      );
      expect(without.ok && without.register.csv.toString()).toBe('100001,A1,2026-11-20,AM,/,3,,,,,,,,,\n');
    });

    it('refuses a name too long (2 MB too), with a control character, without a letter, or two for one pupil', async () => {
      const long = 'A'.repeat(101);
      const csv =
        header +
        `100001,A1,2026-11-20,AM,/,3,${'é'.repeat(100)}\n` +
        `100001,A2,2026-11-20,AM,/,3,${long}\n` +
        '100001,A3,2026-11-20,AM,/,3,"Ada\nLovelace"\n' +
        '100001,A4,2026-11-20,AM,/,3,Ada\u202Eecalevol\n' +
        '100001,A5,2026-11-20,AM,/,3,Ada\tLovelace\n' +
        '100001,A6,2026-11-20,AM,/,3,1234\n' +
        '100001,A7,2026-11-20,AM,/,3,Ada Byron\n' +
        '100001,A7,2026-11-20,PM,\\,3,Ada Lovelace\n' +
        `100001,A8,2026-11-20,AM,/,3,${'Ada '.repeat(500_000)}\n`;
      const outcome = await parseRegister(chunks(csv, 65536), { ...context, maxBytes: 3e6 });
      const control = 'name holds a control character (a tab, line break or text direction mark)';
      expect(outcome).toEqual({
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
      // A name is never quoted back.
      expect(JSON.stringify(outcome)).not.toMatch(/AAAA|Lovelace|Byron|1234/);
    });
  });
});
