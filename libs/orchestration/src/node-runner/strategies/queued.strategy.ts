import { NodeDefinition } from '../../graph/graph-definition.interface';
import { isIntIn, isPlainObject } from '../../graph/node-definition.checks';
import { NodeContext } from '../node-context.interface';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { configProblems } from './config-problems';
import {
  AttemptOutcome,
  ExecutionStrategyRunner,
  NodeConfigCheck,
  StrategyProblem,
} from './execution-strategy.interface';
import { NodeQueuePort } from './node-queue.port';

const QUEUE_KEYS = new Set(['pool', 'priority', 'scheduleToStartTimeoutMs']);
/** Pool names (BullMQ queue names): letters, digits, `_ -`, 1 to 64 characters. */
const POOL_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** BullMQ's highest priority value (1 runs first). */
const MAX_PRIORITY = 2_097_152;

/**
 * Runs the node on a worker process: the attempt is sent to the queue of its pool (`queue.pool`,
 * default the module's), a worker that imports the same handlers runs it DIRECT, and its result
 * comes back to be recorded here, fenced by the attempt's token. The node's timeout counts from
 * the send (schedule to close); `queue.scheduleToStartTimeoutMs` bounds the wait for a worker.
 */
export class QueuedStrategy implements ExecutionStrategyRunner {
  constructor(private readonly queue: NodeQueuePort) {}

  /** `queue` is `{ pool?, priority?, scheduleToStartTimeoutMs? }`; the config is checked as DIRECT's. */
  validate(node: NodeDefinition, checkConfig: NodeConfigCheck): StrategyProblem[] {
    return [
      ...queueProblems(node.queue),
      ...configProblems(checkConfig(node.config ?? {}), 'config.'),
    ];
  }

  run(
    _handler: NodeTypeHandler,
    context: NodeContext,
    timeoutMs?: number,
  ): Promise<AttemptOutcome> {
    return this.queue.submit(context, timeoutMs ?? 0);
  }
}

function queueProblems(queue: unknown): StrategyProblem[] {
  if (queue === undefined) return [];
  const problem = (path: string, message: string): StrategyProblem => ({
    code: 'NODE_FIELD_INVALID',
    path,
    message: `${path} ${message}`,
  });
  if (!isPlainObject(queue)) return [problem('queue', 'must be an object')];
  const problems: StrategyProblem[] = [];
  for (const key of Object.keys(queue)) {
    if (!QUEUE_KEYS.has(key)) problems.push(problem(`queue.${key}`, 'is not a queue field'));
  }
  if (
    queue.pool !== undefined &&
    (typeof queue.pool !== 'string' || !POOL_PATTERN.test(queue.pool))
  ) {
    problems.push(problem('queue.pool', 'must be 1-64 characters of letters, digits, _ -'));
  }
  if (queue.priority !== undefined && !isIntIn(queue.priority, 1, MAX_PRIORITY)) {
    problems.push(
      problem('queue.priority', `must be an integer from 1 (first) to ${MAX_PRIORITY}`),
    );
  }
  if (
    queue.scheduleToStartTimeoutMs !== undefined &&
    !isIntIn(queue.scheduleToStartTimeoutMs, 1, 2_147_483_647)
  ) {
    problems.push(problem('queue.scheduleToStartTimeoutMs', 'must be a positive integer (ms)'));
  }
  return problems;
}
