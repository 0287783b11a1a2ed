/**
 * @trellis/orchestration/http — the optional HTTP layer: a host imports it on purpose, next to
 * `OrchestrationModule.forRoot({ isGlobal: true })`.
 */
export { OrchestrationHttpModule } from './orchestration-http.module';
export { TRELLIS_HTTP_OPTIONS } from './http.module-definition';
export * from './http-options.interface';
export { ApiKeyGuard, ANONYMOUS_OPERATOR } from './api-key.guard';
export {
  apiKeyProblems,
  parseApiKeys,
  parseApiKey,
  MIN_NAMED_SECRET_LENGTH,
} from './api-key.parser';
export type { ApiKey } from './api-key.parser';
export { Operator } from './operator.decorator';
export { Public } from './public.decorator';
export { OrchestrationExceptionFilter, toErrorBody } from './orchestration-exception.filter';
export type { ErrorBody } from './orchestration-exception.filter';
export { ERROR_STATUS } from './error-status.table';
export { RequestRejectedError } from './request-rejected.error';
export type { ErrorDetail } from './request-rejected.error';
export {
  validationExceptionFactory,
  TRELLIS_VALIDATION_OPTIONS,
} from './validation-exception.factory';
export { inspectJsonBody } from './json-body.inspector';
export { ParseIdPipe, ParseNodeIdPipe } from './parse-id.pipe';
export { ExecutionStatsService } from './telemetry/execution-stats.service';
export type { ExecutionStats } from './telemetry/execution-stats.service';
export { TrellisMetrics } from './telemetry/trellis-metrics.service';
export { StoreHealthIndicator } from './telemetry/store.health-indicator';
export * from './dto/error.response';
export * from './dto/execution.response';
export * from './dto/graph.response';
export * from './dto/graph-definition.dto';
export { StartExecutionDto } from './dto/start-execution.dto';
export { CancelExecutionDto } from './dto/cancel-execution.dto';
export { SignalNodeDto } from './dto/signal-node.dto';
export { ActionReasonDto } from './dto/action-reason.dto';
export { RetryNodeDto } from './dto/retry-node.dto';
export { CompleteNodeDto } from './dto/complete-node.dto';
