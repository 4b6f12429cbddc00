// The OpenAPI description of an endpoint, made from its entry in the contract (contract/routes.ts): its parameters
// from the request schema, its body and its answer from theirs. Nothing is written twice by hand.
import { applyDecorators } from '@nestjs/common';
import { ApiBody, ApiParam, ApiQuery, ApiResponse, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';

/** An OpenAPI 3.0 schema object, as swagger's decorators take it. */
type SchemaObject = Exclude<NonNullable<NonNullable<OpenAPIObject['components']>['schemas']>[string], { $ref: string }>;

interface Documented {
  path: string;
  request?: z.ZodType;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
}

/**
 * Schemas that refer to themselves (a data set query's criteria: and, or, not), named by their `meta({ id })`: the
 * document's components, which the endpoints' schemas refer to (components()).
 */
const SHARED: Record<string, SchemaObject> = {};

function openApiSchema(schema: z.ZodType, io: 'input' | 'output'): SchemaObject {
  const {
    $schema: _,
    definitions,
    ...json
  } = JSON.parse(
    JSON.stringify(z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' })).replaceAll(
      '"#/definitions/',
      '"#/components/schemas/',
    ),
  ) as Record<string, unknown>;
  Object.assign(SHARED, definitions);
  return json as SchemaObject;
}

/** The schemas the endpoints' schemas refer to by name, for the document's components. */
export function components(): Record<string, SchemaObject> {
  return SHARED;
}

/** Swagger's decorators for an endpoint of the contract. */
export function ApiRoute(route: Documented): MethodDecorator {
  const decorators: MethodDecorator[] = [];
  if (route.request) {
    const { properties = {}, required = [] } = openApiSchema(route.request, 'input');
    const inPath = new Set([...route.path.matchAll(/:(\w+)/g)].map(([, name]) => name));
    for (const [name, { description, ...schema }] of Object.entries(properties as Record<string, SchemaObject>)) {
      decorators.push(
        inPath.has(name)
          ? ApiParam({ name, description, schema })
          : ApiQuery({ name, description, schema, required: required.includes(name) && schema.default === undefined }),
      );
    }
  }
  if (route.body) decorators.push(ApiBody({ schema: openApiSchema(route.body, 'input') }));
  if (route.response) {
    const schema = openApiSchema(route.response, 'output');
    decorators.push(ApiResponse({ status: route.status ?? 200, description: schema.description ?? 'OK', schema }));
  }
  return applyDecorators(...decorators);
}
