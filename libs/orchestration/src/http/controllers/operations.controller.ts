import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { ErrorResponseDto } from '../dto/error.response';
import { Public } from '../public.decorator';
import { ExecutionStatsService } from '../telemetry/execution-stats.service';
import { StoreHealthIndicator } from '../telemetry/store.health-indicator';
import { TrellisMetrics } from '../telemetry/trellis-metrics.service';
import { TrellisApi } from '../trellis-api.decorator';

/** Health (public), statistics and Prometheus metrics. */
@ApiTags('operations')
@TrellisApi()
@Controller()
export class OperationsController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly storeHealth: StoreHealthIndicator,
    private readonly stats: ExecutionStatsService,
    private readonly metricsService: TrellisMetrics,
  ) {}

  @Get('health')
  @Public()
  @HealthCheck()
  @ApiOperation({
    summary: 'Readiness: 200 when the store answers (no API key needed)',
    security: [],
  })
  @ApiServiceUnavailableResponse({ type: ErrorResponseDto })
  check() {
    return this.health.check([() => this.storeHealth.check('store')]);
  }

  @Get('stats')
  @ApiOperation({ summary: 'Counts by status, throughput over the last minute, recent durations' })
  @ApiOkResponse({ description: 'See ExecutionStats in docs/HTTP-API.md' })
  statistics() {
    return this.stats.snapshot();
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({ summary: 'Prometheus metrics' })
  @ApiProduces('text/plain')
  metrics(): Promise<string> {
    return this.metricsService.metrics();
  }
}
