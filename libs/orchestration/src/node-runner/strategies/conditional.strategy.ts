import { NodeDefinition } from '../../graph/graph-definition.interface';
import { evaluateCondition, expressionSyntaxProblem } from '../handlers/expression.evaluator';
import { NodeContext } from '../node-context.interface';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { DirectStrategy } from './direct.strategy';
import {
  AttemptOutcome,
  ExecutionStrategyRunner,
  NodeConfigCheck,
  StrategyProblem,
} from './execution-strategy.interface';

/**
 * Evaluates the node's `when` (JSONata over `{ input, upstream }`, cast as `$boolean()`: `[]`,
 * `{}`, `""`, 0, null and a missing value are false) with the evaluator the CONDITIONAL node
 * type uses; runs the handler directly when it holds, otherwise the node is skipped (and so are
 * its dependents, per their rule). An expression that fails to evaluate or runs past its time
 * bound fails the attempt (not retryable).
 */
export class ConditionalStrategy implements ExecutionStrategyRunner {
  private readonly direct = new DirectStrategy();

  /** `when` is required and must compile; the config is checked as DIRECT's. */
  validate(node: NodeDefinition, checkConfig: NodeConfigCheck): StrategyProblem[] {
    return [...whenProblems(node.when), ...this.direct.validate(node, checkConfig)];
  }

  async run(handler: NodeTypeHandler, context: NodeContext): Promise<AttemptOutcome> {
    const when = context.node.when!;
    const holds = await evaluateCondition(
      when,
      { input: context.input, upstream: context.upstream },
      { signal: context.signal },
    );
    if (!holds) return { kind: 'skipped', reason: `condition is false: ${when}` };
    return this.direct.run(handler, context);
  }
}

function whenProblems(when: unknown): StrategyProblem[] {
  if (typeof when !== 'string' || when.length === 0) {
    return [
      {
        code: 'NODE_FIELD_INVALID',
        path: 'when',
        message: 'when is required with the CONDITIONAL strategy (a JSONata condition)',
      },
    ];
  }
  const syntax = expressionSyntaxProblem(when);
  if (syntax === undefined) return [];
  return [
    {
      code: 'NODE_FIELD_INVALID',
      path: 'when',
      message: `when is not a valid JSONata expression: ${syntax}`,
    },
  ];
}
