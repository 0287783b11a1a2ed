import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Environment } from './config/environment.schema';

/** Serves the OpenAPI document at /docs-json and its UI at /docs. */
export function setUpOpenApi(app: INestApplication, env: Environment): void {
  const config = new DocumentBuilder()
    .setTitle('Trellis')
    .setDescription(
      'DAG orchestration for NestJS: store graphs, run them, follow them live. Errors share one shape ' +
        '(ErrorResponseDto). ' +
        (env.TRELLIS_API_KEYS.length > 0
          ? 'Every route but /health needs `Authorization: Bearer <key>`.'
          : 'This server runs without API keys (loopback only).'),
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}
