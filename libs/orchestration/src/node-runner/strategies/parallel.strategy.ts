import { NodeDefinition } from '../../graph/graph-definition.interface';
import { isIntIn } from '../../graph/node-definition.checks';
import { NodeContext } from '../node-context.interface';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { deriveContext } from './derive-context';
import {
  AttemptOutcome,
  ExecutionStrategyRunner,
  NodeConfigCheck,
  StrategyProblem,
} from './execution-strategy.interface';
import { stepsConfigProblems } from './steps-config.checks';

const FIELDS = ['steps', 'concurrency'] as const;
/** Most steps of one PARALLEL node running at once. */
const MAX_CONCURRENCY = 1000;

/**
 * Runs the handler once per `config.steps[i]`, at most `config.concurrency` at once (default all);
 * the first failure aborts the other steps. The output is the list of step outputs, in step order.
 */
export class ParallelStrategy implements ExecutionStrategyRunner {
  /**
   * `config` is `{ steps, concurrency? }`: a non-empty array of configs of the node's type, and
   * an integer from 1 to 1000.
   */
  validate(node: NodeDefinition, checkConfig: NodeConfigCheck): StrategyProblem[] {
    const problems = stepsConfigProblems(node, checkConfig, 'PARALLEL', FIELDS);
    const concurrency = node.config?.concurrency;
    if (concurrency !== undefined && !isIntIn(concurrency, 1, MAX_CONCURRENCY)) {
      problems.push({
        code: 'NODE_CONFIG_INVALID',
        path: 'config.concurrency',
        message: `config.concurrency: must be an integer from 1 to ${MAX_CONCURRENCY}`,
      });
    }
    return problems;
  }

  async run(handler: NodeTypeHandler, context: NodeContext): Promise<AttemptOutcome> {
    const steps = context.config.steps as Record<string, unknown>[];
    const limit = Math.min(
      (context.config.concurrency as number | undefined) ?? steps.length,
      steps.length,
    );
    const controller = new AbortController();
    const onAbort = () => controller.abort(context.signal.reason);
    context.signal.addEventListener('abort', onAbort, { once: true });
    const outputs: unknown[] = new Array(steps.length);
    let next = 0;
    const lane = async () => {
      while (next < steps.length) {
        const i = next++;
        controller.signal.throwIfAborted();
        const result = await handler.execute(
          deriveContext(context, { config: steps[i], signal: controller.signal }),
        );
        outputs[i] = result ? result.output : undefined;
      }
    };
    try {
      await Promise.all(
        Array.from({ length: limit }, () =>
          lane().catch((error) => {
            controller.abort(error);
            throw error;
          }),
        ),
      );
    } finally {
      context.signal.removeEventListener('abort', onAbort);
    }
    return { kind: 'completed', result: { output: outputs } };
  }
}
