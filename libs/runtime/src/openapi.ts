/**
 * The OpenAPI document of an application, generated from its controllers' decorators (DESIGN.md
 * "Contracts": generated, committed, checked for drift). Serialised with sorted keys, so the
 * committed file changes only when the API does.
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export function openApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Case transfer orchestration')
    .setDescription(
      'Case events in, transfer decisions out, for children\'s social care. Every operation but /health and /health/live needs ' +
        'Authorization: Bearer <JWT> with the role it names (README "Access control"). Case-event and decision schemas: contracts/events/.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addTag('intake', 'case events in (role integration)')
    .addTag('allocation', "managers' answers to transfers (role manager)")
    .addTag('query', 'reads for case-management systems and dashboards (role reader)')
    .addTag('operations', 'health, metrics, and the admin clock outside production')
    .build();
  return SwaggerModule.createDocument(app, config);
}

const sortedKeys = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
};

/** Pretty JSON with every object's keys sorted and a trailing newline: the committed form. */
export const serialiseOpenApi = (document: OpenAPIObject): string => `${JSON.stringify(sortedKeys(document), null, 2)}\n`;
