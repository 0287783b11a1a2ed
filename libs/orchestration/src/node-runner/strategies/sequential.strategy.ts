import { NodeDefinition } from '../../graph/graph-definition.interface';
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

const FIELDS = ['steps'] as const;

/** Runs the handler once per `config.steps[i]`, in order; the output is the list of step outputs. */
export class SequentialStrategy implements ExecutionStrategyRunner {
  /** `config` is `{ steps }`: a non-empty array of configs of the node's type. */
  validate(node: NodeDefinition, checkConfig: NodeConfigCheck): StrategyProblem[] {
    return stepsConfigProblems(node, checkConfig, 'SEQUENTIAL', FIELDS);
  }

  async run(handler: NodeTypeHandler, context: NodeContext): Promise<AttemptOutcome> {
    const steps = context.config.steps as Record<string, unknown>[];
    const outputs: unknown[] = [];
    for (const step of steps) {
      context.signal.throwIfAborted();
      const result = await handler.execute(deriveContext(context, { config: step }));
      outputs.push(result ? result.output : undefined);
    }
    return { kind: 'completed', result: { output: outputs } };
  }
}
