// A ClickHouse server for fault tests: the real engine (chDB, over a data directory) behind the part of ClickHouse's
// HTTP interface that @clickhouse/client uses here: statements in the body with param_* parameters in the URL, inserts
// with the statement and the insert's settings in the URL and the rows in the body, and /ping. No ClickHouse server
// runs on this machine (Debian's is too old, Docker does not run), and a test needs one it can kill: killing this
// process is the server going down. Parameter values are passed on as this product sends them (codes, dates, keys: no
// quotes or backslashes).
//   node dist/tests/support/clickhouse-http.js DATA_DIR PORT
import { createServer } from 'node:http';
import { Session } from 'chdb';
import { JSON_SETTINGS } from '../../server/src/warehouse/warehouse.js';

const [dir, port] = process.argv.slice(2);
const session = new Session(dir, {
  connectionArgs: Object.entries(JSON_SETTINGS).map(([key, value]) => `--${key}=${value}`),
});
const INSERT = /^INSERT INTO\s+(\w+)\s*\(([^)]*)\)\s*FORMAT\s+(\w+)$/i;

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (url.pathname === '/ping') return response.end('Ok.\n');
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  try {
    const insert = INSERT.exec(url.searchParams.get('query')?.trim() ?? '');
    if (insert) {
      const [, table, columns, format] = insert;
      // The insert's own settings: how its format is read, and the comment a staged register's id comes from.
      const settings = Object.fromEntries(
        [...url.searchParams].filter(([key]) => /^(input_format_|format_|log_comment$)/.test(key)),
      );
      await session.insert({
        table,
        columns: columns.split(',').map((c) => c.trim()),
        values: body,
        format: format as 'TabSeparated',
        settings,
      });
      return response.end();
    }
    const params = Object.fromEntries(
      [...url.searchParams].filter(([key]) => key.startsWith('param_')).map(([key, value]) => [key.slice(6), value]),
    );
    const result = await session.queryBindAsync(body.toString('utf8'), params, { format: 'TabSeparated' });
    response.end(result.text());
  } catch (error) {
    response.statusCode = 500;
    response.setHeader('X-ClickHouse-Exception-Code', '1');
    response.end(`Code: 1. DB::Exception: ${(error as Error).message}`);
  }
});
server.listen(Number(port), '127.0.0.1', () => console.log(`ClickHouse HTTP on ${port}`));
