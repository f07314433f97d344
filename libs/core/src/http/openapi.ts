import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { documentLivenessRoute } from '../health/liveness.route.js';
import type { KwikDocsOptions } from '../kwik-options.interface.js';

/**
 * Serves the OpenAPI 3.1 document at `/<path>/json` and the UI at `/<path>`. The document is
 * built lazily on the first request, so it costs nothing at boot.
 */
export function setupOpenApi(app: INestApplication, docs: KwikDocsOptions): void {
  const path = (docs.path ?? 'docs').replace(/^\/+|\/+$/g, '');
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(docs.title ?? 'Kwik API')
    .setDescription(docs.description ?? '')
    .setVersion(docs.version ?? '1.0.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup(path, app, () => documentLivenessRoute(SwaggerModule.createDocument(app, config)), {
    jsonDocumentUrl: `${path}/json`,
    yamlDocumentUrl: `${path}/yaml`,
  });
}
