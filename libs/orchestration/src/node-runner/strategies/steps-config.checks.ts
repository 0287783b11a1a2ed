import { NodeDefinition } from '../../graph/graph-definition.interface';
import { configProblems } from './config-problems';
import { NodeConfigCheck, StrategyProblem } from './execution-strategy.interface';

/**
 * Checks the config of a node that runs its handler once per step (SEQUENTIAL, PARALLEL):
 * `config.steps` is a non-empty array of objects, each a config of the node's type, and the
 * config holds no field but `fields`.
 */
export function stepsConfigProblems(
  node: NodeDefinition,
  checkConfig: NodeConfigCheck,
  strategy: string,
  fields: readonly string[],
): StrategyProblem[] {
  const config = node.config ?? {};
  const problems: StrategyProblem[] = [];
  for (const key of Object.keys(config)) {
    if (!fields.includes(key)) {
      problems.push({
        code: 'NODE_CONFIG_INVALID',
        path: `config.${key}`,
        message: `config.${key} is not a field of a ${strategy} config (${fields.join(', ')})`,
      });
    }
  }
  const steps = config.steps;
  if (!Array.isArray(steps) || steps.length === 0) {
    problems.push({
      code: 'NODE_CONFIG_INVALID',
      path: 'config.steps',
      message: 'config.steps: must be a non-empty array of step configs',
    });
    return problems;
  }
  steps.forEach((step: unknown, s) => {
    const prefix = `config.steps[${s}]`;
    if (typeof step !== 'object' || step === null || Array.isArray(step)) {
      problems.push({
        code: 'NODE_CONFIG_INVALID',
        path: prefix,
        message: `${prefix}: must be a step config (an object)`,
      });
    } else {
      problems.push(...configProblems(checkConfig(step), `${prefix}.`));
    }
  });
  return problems;
}
