import { Injectable } from '@nestjs/common';
import { ExecutionStrategy } from '../../graph/graph-definition.interface';
import { ConditionalStrategy } from './conditional.strategy';
import { DirectStrategy } from './direct.strategy';
import { ExecutionStrategyRunner } from './execution-strategy.interface';
import { ParallelStrategy } from './parallel.strategy';
import { SequentialStrategy } from './sequential.strategy';

/** The strategies the definition format names but this version refuses at validation. */
type UnsupportedStrategy = 'QUEUED';

/**
 * The execution strategies, in one place: the node runner runs each node through its strategy,
 * and the graph validator asks the same strategy for the node's problems. `QUEUED` is named by
 * the definition format but refused (`STRATEGY_UNSUPPORTED`) until distributed execution lands.
 */
@Injectable()
export class ExecutionStrategyRegistry {
  private readonly runners: Readonly<
    Record<Exclude<ExecutionStrategy, UnsupportedStrategy>, ExecutionStrategyRunner>
  > = {
    DIRECT: new DirectStrategy(),
    SEQUENTIAL: new SequentialStrategy(),
    PARALLEL: new ParallelStrategy(),
    CONDITIONAL: new ConditionalStrategy(),
  };

  private readonly unsupported: Readonly<Record<UnsupportedStrategy, string>> = {
    QUEUED:
      'QUEUED is reserved for distributed execution, which this version does not provide: ' +
      'leave strategy unset (DIRECT) to run the node in this process',
  };

  /** The runner of a strategy (`DIRECT` when none is given); undefined for one it does not run. */
  get(name: string = 'DIRECT'): ExecutionStrategyRunner | undefined {
    return Object.hasOwn(this.runners, name)
      ? this.runners[name as keyof typeof this.runners]
      : undefined;
  }

  /** Why a strategy named by the definition format is refused here; undefined for any other name. */
  unsupportedReason(name: string): string | undefined {
    return Object.hasOwn(this.unsupported, name)
      ? this.unsupported[name as UnsupportedStrategy]
      : undefined;
  }

  /** Every strategy name the definition format knows, those refused here included. */
  names(): string[] {
    return [...Object.keys(this.runners), ...Object.keys(this.unsupported)];
  }
}
