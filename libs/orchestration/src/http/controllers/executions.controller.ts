import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { ExecutionEngine } from '../../engine/execution-engine.service';
import type { NodeActionResult } from '../../engine/node-actions.service';
import { ActionReasonDto } from '../dto/action-reason.dto';
import { CancelExecutionDto } from '../dto/cancel-execution.dto';
import { CompleteNodeDto } from '../dto/complete-node.dto';
import { ErrorResponseDto } from '../dto/error.response';
import {
  ExecutionPageDto,
  ExecutionResponseDto,
  ExecutionSummaryDto,
  NodeActionResponseDto,
  NodeDetailDto,
  SignalResultDto,
} from '../dto/execution.response';
import { ListExecutionsQuery } from '../dto/list-executions.query';
import { RetryNodeDto } from '../dto/retry-node.dto';
import { SignalNodeDto } from '../dto/signal-node.dto';
import { StartExecutionDto } from '../dto/start-execution.dto';
import { Operator } from '../operator.decorator';
import { ParseIdPipe, ParseNodeIdPipe } from '../parse-id.pipe';
import { toExecutionResponse, toExecutionSummary, toNodeDetail } from '../record.presenter';
import { TrellisApi } from '../trellis-api.decorator';

/**
 * Starts, inspects, cancels, retries and signals executions, and retries, completes or skips
 * single nodes. Every action records who (`@Operator()`: the API key's name) and why (`reason`).
 */
@ApiTags('executions')
@TrellisApi()
@Controller()
export class ExecutionsController {
  constructor(private readonly engine: ExecutionEngine) {}

  @Post('graphs/:id/executions')
  @ApiOperation({ summary: 'Start an execution of a graph (idempotent with idempotencyKey)' })
  @ApiCreatedResponse({ type: ExecutionSummaryDto, description: 'Started' })
  @ApiOkResponse({
    type: ExecutionSummaryDto,
    description:
      'An execution of this graph already has the idempotencyKey: that one (header Idempotent-Replayed: true)',
  })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async start(
    @Param('id', ParseIdPipe) graphId: string,
    @Body() body: StartExecutionDto,
    @Operator() operator: string,
    @Res({ passthrough: true })
    res: { status(code: number): unknown; setHeader(n: string, v: string): unknown },
  ) {
    const { execution, created } = await this.engine.startExecution(graphId, {
      input: body.input,
      idempotencyKey: body.idempotencyKey,
      by: operator,
    });
    if (!created) {
      res.status(200);
      res.setHeader('Idempotent-Replayed', 'true');
    }
    return toExecutionSummary(execution);
  }

  @Get('executions')
  @ApiOperation({ summary: 'List executions, newest first, by graph and status' })
  @ApiOkResponse({ type: ExecutionPageDto })
  async list(@Query() query: ListExecutionsQuery) {
    const limit = query.limit ?? 20;
    const found = await this.engine.listExecutions({
      graphId: query.graphId,
      status: query.status,
      limit: limit + 1,
      before: query.cursor,
    });
    const items = found.slice(0, limit).map(toExecutionSummary);
    return { items, nextCursor: found.length > limit ? items[limit - 1].id : null };
  }

  @Get('executions/:id')
  @ApiOperation({ summary: 'An execution with the state of every node' })
  @ApiOkResponse({ type: ExecutionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('id', ParseIdPipe) id: string) {
    const { execution, nodes } = await this.engine.getExecutionState(id);
    return toExecutionResponse(execution, nodes);
  }

  @Get('executions/:id/nodes/:nodeId')
  @ApiOperation({ summary: "A node's state with its full transition history" })
  @ApiOkResponse({ type: NodeDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async node(
    @Param('id', ParseIdPipe) id: string,
    @Param('nodeId', ParseNodeIdPipe) nodeId: string,
  ) {
    return toNodeDetail(await this.engine.getNodeState(id, nodeId));
  }

  @Post('executions/:id/cancel')
  @HttpCode(202)
  @ApiOperation({ summary: 'Cancel a running execution (cleanup nodes still run)' })
  @ApiBody({ type: CancelExecutionDto, required: false })
  @ApiAcceptedResponse({ type: ExecutionSummaryDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'It has ended; `state` names how' })
  async cancel(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: CancelExecutionDto,
    @Operator() operator: string,
  ) {
    await this.engine.cancel(id, operator, body.reason ?? 'cancelled by request');
    return toExecutionSummary(await this.engine.getExecution(id));
  }

  @Post('executions/:id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Re-run the failed, cancelled and skipped nodes of an ended execution' })
  @ApiBody({ type: ActionReasonDto, required: false })
  @ApiAcceptedResponse({ type: ExecutionSummaryDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'Not failed or cancelled; `state` names it',
  })
  async retry(
    @Param('id', ParseIdPipe) id: string,
    @Body() body: ActionReasonDto,
    @Operator() operator: string,
  ) {
    return toExecutionSummary(await this.engine.retry(id, operator, body.reason));
  }

  @Post('executions/:id/nodes/:nodeId/signal')
  @HttpCode(202)
  @ApiOperation({ summary: 'Release a waiting SYNCHRONIZATION node' })
  @ApiBody({ type: SignalNodeDto, required: false })
  @ApiAcceptedResponse({ type: SignalResultDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The node or execution has ended' })
  async signal(
    @Param('id', ParseIdPipe) id: string,
    @Param('nodeId', ParseNodeIdPipe) nodeId: string,
    @Body() body: SignalNodeDto,
    @Operator() operator: string,
  ) {
    await this.engine.signal(id, nodeId, body.payload ?? {}, operator, body.reason);
    return { delivered: true };
  }

  @Post('executions/:id/nodes/:nodeId/retry')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-run one ended node (and with downstream, every node below it)',
    description:
      'Legal on a completed, failed, cancelled or skipped node; it gets a fresh attempt budget. ' +
      'Skipped and cancelled nodes below it go back to pending too (with `downstream: true`, every ' +
      'ended node below it). Completed nodes below it keep their outputs unless `downstream`. ' +
      'Refused while a node below it is ready, waiting or running. An ended execution is ' +
      'reopened and runs to a new end, its nodes a cancel or halt stopped included.',
  })
  @ApiBody({ type: RetryNodeDto, required: false })
  @ApiAcceptedResponse({ type: NodeActionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'The node is pending, ready, waiting or running, or a node below it is; `details` give both states',
  })
  async retryNode(
    @Param('id', ParseIdPipe) id: string,
    @Param('nodeId', ParseNodeIdPipe) nodeId: string,
    @Body() body: RetryNodeDto,
    @Operator() operator: string,
  ) {
    const result = await this.engine.actOnNode(id, {
      kind: 'retry',
      nodeId,
      by: operator,
      reason: body.reason,
      downstream: body.downstream === true,
    });
    return this.answer(id, result);
  }

  @Post('executions/:id/nodes/:nodeId/complete')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mark a failed node as succeeded with an output',
    description:
      'Its dependents then run as if it had completed; a failed execution is reopened and resumes.',
  })
  @ApiBody({ type: CompleteNodeDto, required: false })
  @ApiAcceptedResponse({ type: NodeActionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The node is not failed; `details` give both states',
  })
  async completeNode(
    @Param('id', ParseIdPipe) id: string,
    @Param('nodeId', ParseNodeIdPipe) nodeId: string,
    @Body() body: CompleteNodeDto,
    @Operator() operator: string,
  ) {
    const result = await this.engine.actOnNode(id, {
      kind: 'complete',
      nodeId,
      by: operator,
      reason: body.reason,
      output: body.output ?? null,
    });
    return this.answer(id, result);
  }

  @Post('executions/:id/nodes/:nodeId/skip')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Mark a pending, ready, waiting or failed node as skipped',
    description:
      'Its dependents treat it as any skipped node; a failed execution whose only blocker it was resumes.',
  })
  @ApiBody({ type: ActionReasonDto, required: false })
  @ApiAcceptedResponse({ type: NodeActionResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The node is running, completed, cancelled or skipped; `details` give both states',
  })
  async skipNode(
    @Param('id', ParseIdPipe) id: string,
    @Param('nodeId', ParseNodeIdPipe) nodeId: string,
    @Body() body: ActionReasonDto,
    @Operator() operator: string,
  ) {
    const result = await this.engine.actOnNode(id, {
      kind: 'skip',
      nodeId,
      by: operator,
      reason: body.reason,
    });
    return this.answer(id, result);
  }

  /** The execution as it stands after a node action, with `pending` when the owner did not answer in time. */
  private async answer(id: string, result: NodeActionResult) {
    const summary = toExecutionSummary(await this.engine.getExecution(id));
    return result.pending ? { ...summary, pending: true, commandId: result.commandId } : summary;
  }
}
