import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ExecutionStatus, NodeStatus } from '../../state-tracker/status.enum';

/** A failure. */
export class ErrorInfoDto {
  @ApiProperty({ example: 'NODES_FAILED' }) code!: string;
  @ApiProperty({ example: '1 node(s) failed: unit-tests' }) message!: string;
  @ApiPropertyOptional() details?: unknown;
}

/** The latest operator action on an execution or a node: who and why. */
export class OperatorActionDto {
  @ApiProperty({
    enum: ['cancel', 'retry', 'signal', 'retry-node', 'complete-node', 'skip-node'],
    example: 'skip-node',
  })
  action!: string;
  @ApiProperty({ description: "The API key's name; anonymous when auth is off", example: 'ops' })
  by!: string;
  @ApiPropertyOptional({ example: 'flaky infrastructure, see OPS-42' }) reason?: string;
  @ApiProperty({ example: '2026-11-26T10:15:31.002Z' }) at!: string;
  @ApiPropertyOptional({ description: 'On an execution: the node acted on', example: 'deploy' })
  nodeId?: string;
}

/** An execution without its nodes. */
export class ExecutionSummaryDto {
  @ApiProperty({ example: '674f1c2e9b1e8a0012345679' }) id!: string;
  @ApiProperty({ example: '674f1c2e9b1e8a0012345678' }) graphId!: string;
  @ApiProperty({ enum: ExecutionStatus, example: 'running' }) status!: ExecutionStatus;
  @ApiProperty({ example: { branch: 'main' } }) input!: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String, example: 'nightly-2026-11-26' }) idempotencyKey!:
    string | null;
  @ApiProperty({ example: '2026-11-26T10:15:30.123Z' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, example: '2026-11-26T10:15:30.125Z' }) startedAt!:
    string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) completedAt!: string | null;
  @ApiPropertyOptional({ type: ErrorInfoDto }) error?: ErrorInfoDto;
  @ApiPropertyOptional({
    type: OperatorActionDto,
    description: 'The latest operator action that changed its status',
  })
  lastAction?: OperatorActionDto;
}

/** The state of one node. */
export class NodeStateDto {
  @ApiProperty({ example: 'unit-tests' }) nodeId!: string;
  @ApiProperty({ enum: NodeStatus, example: 'completed' }) status!: NodeStatus;
  @ApiProperty({ example: 1 }) attempts!: number;
  @ApiProperty({ nullable: true, type: String }) startedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
  @ApiPropertyOptional({ type: ErrorInfoDto }) error?: ErrorInfoDto;
  @ApiPropertyOptional({ description: "The handler's output", example: { status: 'passed' } })
  output?: unknown;
  @ApiPropertyOptional({
    description:
      'The fencing token of the latest attempt; absent until the node made one. It grows with every ' +
      'attempt and every change of owner; HTTP actions send it as the Trellis-Fencing-Token header',
    example: 4294967303,
  })
  fencingToken?: number;
  @ApiPropertyOptional({
    type: OperatorActionDto,
    description: 'The latest operator action on this node (retry, complete, skip)',
  })
  lastAction?: OperatorActionDto;
}

/** The answer to a node action: the execution as it stands, and whether the action still waits. */
export class NodeActionResponseDto extends ExecutionSummaryDto {
  @ApiPropertyOptional({
    example: true,
    description:
      'Present when the instance that runs the execution did not answer in time: the action was ' +
      'left as a command and is applied once, or refused, later (the journal records which)',
  })
  pending?: boolean;
  @ApiPropertyOptional({ example: '674f1c2e9b1e8a0012345680', description: 'With `pending`' })
  commandId?: string;
}

/** An execution with the state of every node. */
export class ExecutionResponseDto extends ExecutionSummaryDto {
  @ApiProperty({ type: [NodeStateDto] }) nodes!: NodeStateDto[];
}

/** A page of executions. */
export class ExecutionPageDto {
  @ApiProperty({ type: [ExecutionSummaryDto] }) items!: ExecutionSummaryDto[];
  @ApiProperty({ nullable: true, type: String, example: null }) nextCursor!: string | null;
}

/** One transition of a node's history. */
export class TransitionDto {
  @ApiProperty({ example: 4 }) seq!: number;
  @ApiProperty({ example: 'ready' }) from!: string;
  @ApiProperty({ example: 'running' }) to!: string;
  @ApiProperty({ example: '2026-11-26T10:15:30.126Z' }) at!: string;
  @ApiProperty({
    description:
      "Who: an instance id, or for an operator's action the API key's name (anonymous when auth is off)",
    example: 'host-1',
  })
  by!: string;
  @ApiPropertyOptional({
    description: 'Why (an operator action: its reason)',
    example: 'retry requested',
  })
  reason?: string;
  @ApiPropertyOptional({ example: 1 }) attempt?: number;
  @ApiPropertyOptional({
    description: 'On an entry into running: the fencing token of the attempt it starts',
    example: 4294967300,
  })
  fencingToken?: number;
}

/** One node of an execution with its full transition history. */
export class NodeDetailDto extends NodeStateDto {
  @ApiProperty({ example: '674f1c2e9b1e8a0012345679' }) executionId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'When a retry is due' })
  nextAttemptAt!: string | null;
  @ApiProperty({ type: [TransitionDto] }) history!: TransitionDto[];
}

/** Answer of `POST /executions/:id/nodes/:nodeId/signal`. */
export class SignalResultDto {
  @ApiProperty({ example: true }) delivered!: boolean;
}
