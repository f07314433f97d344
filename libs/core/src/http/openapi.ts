import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { documentLivenessRoute } from '../health/liveness.route.js';
import type { KwikDocsOptions } from '../kwik-options.interface.js';
import type { OpenApiVariant } from './openapi-variants.js';

/**
 * Serves the OpenAPI 3.1 document at `/<path>/json` and the UI at `/<path>`; each registered
 * variant at `/<path>/<name>/json` (and `/yaml`), listed in the UI's document picker. Documents
 * are built lazily on their first request, so they cost nothing at boot.
 */
export function setupOpenApi(
  app: INestApplication,
  docs: KwikDocsOptions,
  variants: readonly OpenApiVariant[] = [],
  primary?: string,
): void {
  const path = (docs.path ?? 'docs').replace(/^\/+|\/+$/g, '');
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(docs.title ?? 'Kwik API')
    .setDescription(docs.description ?? '')
    .setVersion(docs.version ?? '1.0.0')
    .addBearerAuth()
    .build();
  const build = (): OpenAPIObject => documentLivenessRoute(SwaggerModule.createDocument(app, config));
  for (const variant of variants) {
    SwaggerModule.setup(`${path}/${variant.name}`, app, () => variantDocument(variant, build), {
      ui: false,
      jsonDocumentUrl: `${path}/${variant.name}/json`,
      yamlDocumentUrl: `${path}/${variant.name}/yaml`,
    });
  }
  const ordered = [...variants].sort((a, b) => Number(b.name === primary) - Number(a.name === primary));
  SwaggerModule.setup(path, app, build, {
    jsonDocumentUrl: `${path}/json`,
    yamlDocumentUrl: `${path}/yaml`,
    ...(ordered.length > 0
      ? {
          explorer: true,
          swaggerOptions: { urls: ordered.map((v) => ({ url: `/${path}/${v.name}/json`, name: v.name })) },
        }
      : {}),
  });
}

function variantDocument(variant: OpenApiVariant, build: () => OpenAPIObject): OpenAPIObject {
  const restore = variant.prepare?.();
  let document: OpenAPIObject;
  try {
    document = build();
  } finally {
    restore?.();
  }
  return variant.transform ? variant.transform(document) : document;
}
