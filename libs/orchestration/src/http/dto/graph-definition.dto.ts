import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NODE_ID_PATTERN } from '../../graph/node-definition.checks';

/**
 * The documented shape of a graph definition. Bodies are checked by the library's
 * `GraphValidator` (every problem listed at once), not by class-validator, so these classes
 * carry documentation only.
 */
export class RetryPolicyDto {
  @ApiPropertyOptional({ default: 3, minimum: 1 }) maxAttempts?: number;
  @ApiPropertyOptional({ enum: ['fixed', 'exponential'], default: 'exponential' }) backoff?: string;
  @ApiPropertyOptional({ default: 1000 }) initialDelayMs?: number;
  @ApiPropertyOptional({ default: 60000 }) maxDelayMs?: number;
  @ApiPropertyOptional({ default: 0.2, minimum: 0, maximum: 1 }) jitter?: number;
}

/** Where a QUEUED node's attempts go. */
export class NodeQueueSettingsDto {
  @ApiPropertyOptional({ default: 'default', pattern: '^[A-Za-z0-9_-]{1,64}$' }) pool?: string;
  @ApiPropertyOptional({ minimum: 1, description: 'BullMQ priority: 1 runs first' })
  priority?: number;
  @ApiPropertyOptional({ description: 'Fail when no worker starts the attempt within this time' })
  scheduleToStartTimeoutMs?: number;
}

/** One node of a graph definition (see docs/NODE-TYPES.md). */
export class NodeDefinitionDto {
  @ApiProperty({ example: 'unit-tests', pattern: NODE_ID_PATTERN.source }) id!: string;
  @ApiProperty({
    example: 'TEST_EXECUTION',
    description:
      'SETUP, CLEANUP, TEST_EXECUTION, VALIDATION, DATA_PROCESSING, CONDITIONAL, NOTIFICATION, SYNCHRONIZATION, DELAY, or a type the host registers',
  })
  type!: string;
  @ApiPropertyOptional({ type: [String], example: ['setup'] }) dependsOn?: string[];
  @ApiPropertyOptional({ description: "The node type's config", example: { ms: 100 } })
  config?: Record<string, unknown>;
  @ApiPropertyOptional({ default: 300000 }) timeoutMs?: number;
  @ApiPropertyOptional({ type: RetryPolicyDto }) retry?: RetryPolicyDto;
  @ApiPropertyOptional({ default: false, description: 'A failure halts the execution' })
  critical?: boolean;
  @ApiPropertyOptional({ enum: ['DIRECT', 'SEQUENTIAL', 'PARALLEL', 'CONDITIONAL', 'QUEUED'] })
  strategy?: string;
  @ApiPropertyOptional({ description: 'JSONata condition (CONDITIONAL strategy)' }) when?: string;
  @ApiPropertyOptional({ type: NodeQueueSettingsDto, description: 'QUEUED strategy only' })
  queue?: NodeQueueSettingsDto;
  @ApiPropertyOptional({ enum: ['allSucceeded', 'allDone', 'noneFailed'] }) runWhen?: string;
  @ApiPropertyOptional() metadata?: Record<string, unknown>;
}

/** What the nodes of a graph take when they do not say. */
export class NodeDefaultsDto {
  @ApiPropertyOptional({
    enum: ['DIRECT', 'SEQUENTIAL', 'PARALLEL', 'QUEUED'],
    description: 'The strategy of every node that names none',
  })
  strategy?: string;
  @ApiPropertyOptional({
    type: NodeQueueSettingsDto,
    description: "With QUEUED: queue settings, under each node's own",
  })
  queue?: NodeQueueSettingsDto;
}

/** A graph definition: named nodes with dependencies. */
export class GraphDefinitionDto {
  @ApiProperty({ example: 'ci-pipeline' }) name!: string;
  @ApiPropertyOptional({ description: 'Nodes of one execution running at once' })
  maxParallelism?: number;
  @ApiPropertyOptional({ description: 'Execution timeout' }) timeoutMs?: number;
  @ApiPropertyOptional({ description: 'Default input', example: { branch: 'main' } })
  input?: Record<string, unknown>;
  @ApiPropertyOptional({ type: NodeDefaultsDto, example: { strategy: 'QUEUED' } })
  defaults?: NodeDefaultsDto;
  @ApiProperty({
    type: [NodeDefinitionDto],
    example: [
      { id: 'setup', type: 'DELAY', config: { ms: 50 }, critical: true },
      { id: 'unit-tests', type: 'DELAY', dependsOn: ['setup'], config: { ms: 100 } },
      { id: 'lint', type: 'DELAY', dependsOn: ['setup'], config: { ms: 80 } },
      {
        id: 'notify',
        type: 'NOTIFICATION',
        dependsOn: ['unit-tests', 'lint'],
        config: { channel: 'log', template: 'build of {{ input.branch }} passed' },
      },
      { id: 'cleanup', type: 'CLEANUP', dependsOn: ['notify'] },
    ],
  })
  nodes!: NodeDefinitionDto[];
  @ApiPropertyOptional() metadata?: Record<string, unknown>;
}
