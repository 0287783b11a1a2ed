import type { ExecutionStrategyRegistry } from '../node-runner/strategies/execution-strategy.registry';
import { NodeDefinition } from './graph-definition.interface';
import { GraphProblemList } from './graph-problem.list';

/** Node ids: letters, digits, `_ . : -`, 1 to 128 characters. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const RUN_WHEN = new Set(['allSucceeded', 'allDone', 'noneFailed']);
const NODE_KEYS = new Set([
  'id',
  'type',
  'dependsOn',
  'config',
  'timeoutMs',
  'retry',
  'critical',
  'strategy',
  'when',
  'queue',
  'runWhen',
  'metadata',
]);
const RETRY_KEYS = new Set(['maxAttempts', 'backoff', 'initialDelayMs', 'maxDelayMs', 'jitter']);

/** Whether a value is a plain JSON object (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a value is an integer within [min, max]. */
export function isIntIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Checks the fields of one node that need no knowledge of the other nodes or of the handler
 * registry (the strategy only by name: what a strategy reads, it checks itself), appending
 * problems. @returns whether the node is usable for graph checks.
 */
export function checkNodeFields(
  raw: unknown,
  at: string,
  problems: GraphProblemList,
  strategies: ExecutionStrategyRegistry,
): raw is NodeDefinition {
  if (!isPlainObject(raw)) {
    problems.push({ code: 'NODE_INVALID', path: at, message: `${at} must be an object` });
    return false;
  }
  const id = raw.id;
  const nodeId = typeof id === 'string' ? id : undefined;
  const bad = (field: string, message: string, code = 'NODE_FIELD_INVALID') =>
    problems.push({ code, path: `${at}.${field}`, nodeId, message: `${at}.${field} ${message}` });
  let usable = true;
  if (typeof id !== 'string' || !NODE_ID_PATTERN.test(id)) {
    bad('id', 'must be 1-128 characters of letters, digits, _ . : -', 'NODE_ID_INVALID');
    usable = false;
  }
  if (typeof raw.type !== 'string' || raw.type.length === 0) {
    bad('type', 'must be a node type name');
    usable = false;
  }
  if (
    raw.dependsOn !== undefined &&
    (!Array.isArray(raw.dependsOn) || raw.dependsOn.some((d) => typeof d !== 'string'))
  ) {
    bad('dependsOn', 'must be an array of node ids');
    usable = false;
  }
  for (const key of Object.keys(raw)) {
    if (!NODE_KEYS.has(key)) bad(key, 'is not a node field', 'NODE_FIELD_UNKNOWN');
  }
  if (raw.config !== undefined && !isPlainObject(raw.config)) bad('config', 'must be an object');
  if (raw.metadata !== undefined && !isPlainObject(raw.metadata))
    bad('metadata', 'must be an object');
  if (raw.timeoutMs !== undefined && !isIntIn(raw.timeoutMs, 1, 2_147_483_647)) {
    bad('timeoutMs', 'must be a positive integer (ms)');
  }
  if (raw.critical !== undefined && typeof raw.critical !== 'boolean')
    bad('critical', 'must be a boolean');
  if (raw.strategy !== undefined) checkStrategyName(raw.strategy, strategies, bad);
  if (raw.when !== undefined && raw.strategy !== 'CONDITIONAL') {
    bad('when', 'is only used with the CONDITIONAL strategy');
  }
  if (raw.queue !== undefined && raw.strategy !== 'QUEUED') {
    bad('queue', 'is only used with the QUEUED strategy');
  }
  if (raw.runWhen !== undefined && !RUN_WHEN.has(raw.runWhen as string)) {
    bad('runWhen', `must be one of ${[...RUN_WHEN].join(', ')}`);
  }
  if (raw.retry !== undefined) checkRetry(raw.retry, bad);
  return usable;
}

/** Checks a strategy's name: one this engine runs (or refuses, saying why), by `bad('strategy', ...)`. */
export function checkStrategyName(
  strategy: unknown,
  strategies: ExecutionStrategyRegistry,
  bad: (field: string, message: string, code?: string) => void,
): void {
  const name = typeof strategy === 'string' ? strategy : '';
  const refused = strategies.unsupportedReason(name);
  if (refused) bad('strategy', refused, 'STRATEGY_UNSUPPORTED');
  else if (!strategies.get(name))
    bad('strategy', `must be one of ${strategies.names().join(', ')}`);
}

function checkRetry(retry: unknown, bad: (field: string, message: string) => void): void {
  if (!isPlainObject(retry)) return bad('retry', 'must be an object');
  for (const key of Object.keys(retry))
    if (!RETRY_KEYS.has(key)) bad(`retry.${key}`, 'is not a retry field');
  if (retry.maxAttempts !== undefined && !isIntIn(retry.maxAttempts, 1, 100)) {
    bad('retry.maxAttempts', 'must be an integer from 1 to 100');
  }
  if (retry.backoff !== undefined && retry.backoff !== 'fixed' && retry.backoff !== 'exponential') {
    bad('retry.backoff', 'must be fixed or exponential');
  }
  for (const field of ['initialDelayMs', 'maxDelayMs'] as const) {
    if (retry[field] !== undefined && !isIntIn(retry[field], 0, 86_400_000)) {
      bad(`retry.${field}`, 'must be an integer from 0 to 86400000 (ms)');
    }
  }
  if (
    retry.jitter !== undefined &&
    (typeof retry.jitter !== 'number' || retry.jitter < 0 || retry.jitter > 1)
  ) {
    bad('retry.jitter', 'must be a number from 0 to 1');
  }
}
