import type { ExecutionStrategyRegistry } from '../node-runner/strategies/execution-strategy.registry';
import { NodeDefaults } from './graph-definition.interface';
import { GraphProblemList } from './graph-problem.list';
import { checkStrategyName, isPlainObject } from './node-definition.checks';

const DEFAULTS_KEYS = new Set(['strategy', 'queue']);

/**
 * Checks a graph's `defaults` (graph-level problems, reported once rather than on every node).
 * @returns the defaults to apply to its nodes, or undefined when there are none or they are invalid.
 */
export function checkNodeDefaults(
  raw: unknown,
  problems: GraphProblemList,
  strategies: ExecutionStrategyRegistry,
): NodeDefaults | undefined {
  if (raw === undefined) return undefined;
  const bad = (path: string, message: string, code = 'GRAPH_FIELD_INVALID') =>
    problems.push({ code, path, message: `${path} ${message}` });
  if (!isPlainObject(raw)) {
    bad('defaults', 'must be an object');
    return undefined;
  }
  const before = problems.total;
  for (const key of Object.keys(raw)) {
    if (!DEFAULTS_KEYS.has(key)) bad(`defaults.${key}`, 'is not a node default (strategy, queue)');
  }
  const strategy = raw.strategy;
  if (strategy === 'CONDITIONAL') {
    bad('defaults.strategy', 'cannot be CONDITIONAL: a condition belongs to one node');
  } else if (strategy !== undefined) {
    checkStrategyName(strategy, strategies, (field, message, code) =>
      bad(`defaults.${field}`, message, code),
    );
  }
  if (raw.queue !== undefined) {
    if (strategy !== 'QUEUED') bad('defaults.queue', 'is only used with the QUEUED strategy');
    else if (!isPlainObject(raw.queue)) bad('defaults.queue', 'must be an object');
  }
  return problems.total === before ? raw : undefined;
}

/**
 * A node with the graph's defaults applied: a node that names no strategy takes the default one
 * (and, when that is QUEUED, the default queue settings under its own). A node that names its
 * strategy is kept as written.
 */
export function withNodeDefaults(node: unknown, defaults: NodeDefaults | undefined): unknown {
  if (!defaults?.strategy || !isPlainObject(node) || node.strategy !== undefined) return node;
  if (defaults.strategy !== 'QUEUED') return { ...node, strategy: defaults.strategy };
  const own = isPlainObject(node.queue) ? node.queue : {};
  const queue =
    defaults.queue || node.queue !== undefined ? { ...defaults.queue, ...own } : undefined;
  return queue ? { ...node, strategy: 'QUEUED', queue } : { ...node, strategy: 'QUEUED' };
}
