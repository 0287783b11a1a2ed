import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ApiKeyGuard } from './api-key.guard';
import { ExecutionEventsController } from './controllers/execution-events.controller';
import { ExecutionsController } from './controllers/executions.controller';
import { GraphsController } from './controllers/graphs.controller';
import { OperationsController } from './controllers/operations.controller';
import { ConfigurableHttpModule, TRELLIS_HTTP_OPTIONS } from './http.module-definition';
import { JsonBodyInterceptor } from './json-body.interceptor';
import { JsonContentTypeMiddleware } from './json-content-type.middleware';
import { OrchestrationExceptionFilter } from './orchestration-exception.filter';
import { ExecutionCounts } from './telemetry/execution-counts';
import { ExecutionStatsService } from './telemetry/execution-stats.service';
import { StoreHealthIndicator } from './telemetry/store.health-indicator';
import { TrellisMetrics } from './telemetry/trellis-metrics.service';

const CONTROLLERS = [
  GraphsController,
  ExecutionsController,
  ExecutionEventsController,
  OperationsController,
];

/**
 * The opt-in HTTP layer: graph and execution controllers, live events, stats, health and
 * metrics. Needs `OrchestrationModule.forRoot({ isGlobal: true, ... })` in the same app. The
 * controllers carry their own error filter, body check and validation, and answer 415 to a
 * body that is not JSON (`JsonContentTypeMiddleware`, on these controllers only); `ApiKeyGuard`
 * is exported for the host to register globally (`{ provide: APP_GUARD, useExisting: ApiKeyGuard }`).
 */
@Module({
  imports: [TerminusModule],
  controllers: CONTROLLERS,
  providers: [
    ApiKeyGuard,
    JsonBodyInterceptor,
    OrchestrationExceptionFilter,
    StoreHealthIndicator,
    ExecutionCounts,
    ExecutionStatsService,
    TrellisMetrics,
  ],
  exports: [ApiKeyGuard, ExecutionStatsService, TrellisMetrics, TRELLIS_HTTP_OPTIONS],
})
export class OrchestrationHttpModule extends ConfigurableHttpModule implements NestModule {
  /** Applies the JSON content-type check to this module's controllers. */
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonContentTypeMiddleware).forRoutes(...CONTROLLERS);
  }
}
