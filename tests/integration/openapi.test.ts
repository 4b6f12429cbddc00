// The OpenAPI document is made from the contract (server/src/contract/routes.ts): every endpoint there is described
// at its path and method, with the parameters its request schema takes and the answer its response schema gives.
import { ROUTES } from '../../server/src/contract/routes.js';
import { startServer, type TestServer } from '../support/server.js';

interface Operation {
  parameters?: { name: string; in: 'query' | 'path'; required?: boolean; schema: { enum?: string[]; type?: string } }[];
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
  responses: Record<
    string,
    { content?: Record<string, { schema: { type?: string; properties?: Record<string, unknown>; items?: unknown } }> }
  >;
}
type Document = { paths: Record<string, Record<string, Operation>> };

let server: TestServer;
let document: Document;
beforeAll(async () => {
  server = await startServer();
  document = (await (await fetch(`${server.url}/api/docs-json`)).json()) as Document;
});
afterAll(() => server?.stop());

const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document', () => {
  it.each(Object.entries(ROUTES))('describes %s as the contract does', (_, route) => {
    const operation = document.paths[openApiPath(route.path)]?.[route.method.toLowerCase()];
    expect(operation).toBeDefined();
    const request = 'request' in route ? Object.keys(route.request.shape) : [];
    expect((operation.parameters ?? []).map((p) => p.name).sort()).toEqual(request.sort());
    for (const p of operation.parameters ?? []) expect(p.in).toBe(route.path.includes(`:${p.name}`) ? 'path' : 'query');
    if ('body' in route)
      expect(Object.keys(operation.requestBody!.content['application/json'].schema.properties!).sort()).toEqual(
        Object.keys(route.body.shape).sort(),
      );
    if ('response' in route) {
      const answer = Object.values(operation.responses).find((r) => r.content);
      expect(Object.values(answer!.content!)[0].schema).toEqual(
        expect.objectContaining({ type: expect.stringMatching(/^(object|array)$/) }),
      );
    }
  });

  it("refers only to schemas it has: a data set query's criteria (and, or, not) is a component of its own", () => {
    const text = JSON.stringify(document);
    const refs = [...new Set([...text.matchAll(/"\$ref":"([^"]+)"/g)].map(([, ref]) => ref))];
    expect(refs).toContain('#/components/schemas/DataSetQueryCriteria');
    const resolve = (ref: string) =>
      ref
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], document);
    for (const ref of refs) expect([ref, resolve(ref)]).toEqual([ref, expect.objectContaining({})]);
  });

  it('gives the answers their fields, as the client reads them', () => {
    const measures = document.paths['/api/v1/measures'].get.responses['200'].content!['application/json'].schema;
    expect(Object.keys(measures.properties!)).toEqual(['level', 'from', 'to', 'frame', 'columns', 'rows']);
    const parameters = document.paths['/api/v1/measures'].get.parameters!;
    expect(parameters.find((p) => p.name === 'breakdown')?.schema.enum).toEqual([
      'fsm',
      'sen',
      'year_group',
      'sex',
      'ethnicity',
      'eal',
      'cin',
      'cla',
    ]);
    expect(parameters.find((p) => p.name === 'level')?.required).toBe(false);
  });
});
