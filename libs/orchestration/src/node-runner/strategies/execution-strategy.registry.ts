import { Inject, Injectable, Optional } from '@nestjs/common';
import { ExecutionStrategy } from '../../graph/graph-definition.interface';
import { TRELLIS_NODE_QUEUE } from '../node-runner.constants';
import { ConditionalStrategy } from './conditional.strategy';
import { DirectStrategy } from './direct.strategy';
import { ExecutionStrategyRunner } from './execution-strategy.interface';
import { NodeQueuePort } from './node-queue.port';
import { ParallelStrategy } from './parallel.strategy';
import { QueuedStrategy } from './queued.strategy';
import { SequentialStrategy } from './sequential.strategy';

/**
 * The execution strategies, in one place: the node runner runs each node through its strategy,
 * and the graph validator asks the same strategy for the node's problems. `QUEUED` runs when the
 * module has a queue (`TRELLIS_NODE_QUEUE`, a Redis); without one it is refused at validation
 * (`STRATEGY_UNSUPPORTED`) with a message that says what to set.
 */
@Injectable()
export class ExecutionStrategyRegistry {
  private readonly runners: Partial<Record<ExecutionStrategy, ExecutionStrategyRunner>> = {
    DIRECT: new DirectStrategy(),
    SEQUENTIAL: new SequentialStrategy(),
    PARALLEL: new ParallelStrategy(),
    CONDITIONAL: new ConditionalStrategy(),
  };

  private readonly unsupported: Partial<Record<ExecutionStrategy, string>> = {};

  constructor(@Optional() @Inject(TRELLIS_NODE_QUEUE) queue?: NodeQueuePort | null) {
    if (queue) this.runners.QUEUED = new QueuedStrategy(queue);
    else {
      this.unsupported.QUEUED =
        'QUEUED runs the node on BullMQ workers and needs a Redis, which this engine has none of: ' +
        'set REDIS_URL (the module option queue.redisUrl), or leave strategy unset (DIRECT) to ' +
        'run the node in this process';
    }
  }

  /** The runner of a strategy (`DIRECT` when none is given); undefined for one it does not run. */
  get(name: string = 'DIRECT'): ExecutionStrategyRunner | undefined {
    return Object.hasOwn(this.runners, name) ? this.runners[name as ExecutionStrategy] : undefined;
  }

  /** Why a strategy named by the definition format is refused here; undefined for any other name. */
  unsupportedReason(name: string): string | undefined {
    return Object.hasOwn(this.unsupported, name)
      ? this.unsupported[name as ExecutionStrategy]
      : undefined;
  }

  /** Every strategy name the definition format knows, those refused here included. */
  names(): string[] {
    return ['DIRECT', 'SEQUENTIAL', 'PARALLEL', 'CONDITIONAL', 'QUEUED'];
  }
}
