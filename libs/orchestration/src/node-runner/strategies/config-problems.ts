import { StrategyProblem } from './execution-strategy.interface';

/**
 * Problems from the `property: message` strings of a config check, placed under `prefix`
 * (`config.`, `config.steps[1].`): `config.steps[1].ms: ms must not be less than 0`.
 */
export function configProblems(messages: string[], prefix: string): StrategyProblem[] {
  return messages.map((m) => ({
    code: 'NODE_CONFIG_INVALID',
    path: `${prefix}${m.split(':')[0]}`,
    message: `${prefix}${m}`,
  }));
}
