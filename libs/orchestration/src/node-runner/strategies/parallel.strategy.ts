import { NodeContext } from '../node-context.interface';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { deriveContext } from './derive-context';
import { AttemptOutcome, ExecutionStrategyRunner } from './execution-strategy.interface';

/**
 * Runs the handler once per `config.steps[i]`, at most `config.concurrency` at once (default all);
 * the first failure aborts the other steps. The output is the list of step outputs, in step order.
 */
export class ParallelStrategy implements ExecutionStrategyRunner {
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
