import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';
import { BODY_SCHEMA_PARTS } from '../writes/write-dtos';

/**
 * OpenAPI at /docs. Request schemas come from the same class-validator metadata that
 * validates requests, so the docs cannot drift from the rules.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Policy-dispute ledger')
    .setDescription(
      'An event-sourced ledger of disputes between governments. Writes answer with their position; ' +
        'queries accept minPosition. Errors are application/problem+json with a stable code.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  const schemas = validationMetadatasToSchemas({ refPointerPrefix: '#/components/schemas/' }) as Record<string, object>;
  document.components = document.components ?? {};
  document.components.schemas = { ...(document.components.schemas ?? {}), ...schemas, ...bodySchemas(schemas) };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/openapi.json' });
}

type JsonSchema = { properties?: Record<string, unknown>; required?: string[] };

/** Flattens data + envelope fields into one object schema per request body. */
function bodySchemas(schemas: Record<string, object>): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [name, parts] of Object.entries(BODY_SCHEMA_PARTS)) {
    const data = schemas[parts.data] as JsonSchema;
    const fields = schemas[parts.fields] as JsonSchema;
    const properties = { ...(data?.properties ?? {}), ...(fields?.properties ?? {}) } as Record<string, unknown>;
    for (const key of parts.omit ?? []) delete properties[key];
    const required = [...(data?.required ?? []), ...(fields?.required ?? [])].filter((k) => !(parts.omit ?? []).includes(k));
    out[name] = { type: 'object', properties, required, additionalProperties: false };
  }
  return out;
}
