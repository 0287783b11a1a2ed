import { Inject } from '@nestjs/common';
import { NodeExecutionError } from '../../errors';
import { TRELLIS_OPTIONS } from '../../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../../orchestration-options.interface';
import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeHandler } from '../node-handler.decorator';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { describeActionResult } from './action-result.interface';
import { ActionRunner } from './action.runner';
import { TestExecutionConfigDto } from './dto/test-execution-config.dto';
import { resolveTestReferences, withTestReferences } from './test-references';
import { TestResult } from './test-result.interface';
import { identityOf } from './attempt-identity';

/**
 * TEST_EXECUTION: runs a test as an action and records a `TestResult` as the output. A test
 * that ran and failed throws `NodeExecutionError` (`TEST_FAILED`, the result in `details`),
 * retryable only with `retryOnFailure`; a test that could not run (connection refused, spawn
 * failure) is retryable.
 */
@NodeHandler('TEST_EXECUTION', { config: TestExecutionConfigDto })
export class TestExecutionHandler implements NodeTypeHandler<TestExecutionConfigDto> {
  private readonly actions: ActionRunner;

  constructor(@Inject(TRELLIS_OPTIONS) options: ResolvedOrchestrationOptions) {
    this.actions = new ActionRunner(options);
  }

  async execute(context: NodeContext<TestExecutionConfigDto>): Promise<NodeHandlerResult> {
    const { config } = context;
    const refs = resolveTestReferences(config, context.input);
    const run = await this.actions.run(
      withTestReferences(config, refs),
      context.signal,
      identityOf(context),
    );
    const result: TestResult = {
      status: run.ok ? 'passed' : 'failed',
      ...(run.exitCode === undefined ? {} : { exitCode: run.exitCode }),
      ...(run.terminationSignal === undefined ? {} : { terminationSignal: run.terminationSignal }),
      ...(run.httpStatus === undefined ? {} : { httpStatus: run.httpStatus }),
      durationMs: run.durationMs,
      outputTail: run.outputTail,
      ...refs,
    };
    if (run.ok) return { output: result };
    throw new NodeExecutionError(
      `Test ${context.node.id} failed: ${describeActionResult(run, config.http?.expectStatus)}`,
      { retryable: config.retryOnFailure ?? false, code: 'TEST_FAILED', details: result },
    );
  }
}
