import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeHandler } from '../node-handler.decorator';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { raceAbort } from './abort-race';
import { SynchronizationConfigDto } from './dto/synchronization-config.dto';

/**
 * SYNCHRONIZATION: a join (`runWhen: 'noneFailed'`, so it also runs after a CONDITIONAL skipped
 * some branches). Output: `{ joined: [ids of the dependencies that completed] }`, or with `waitForSignal`
 * the signal's payload (`null` when it had none). With `waitForSignal` the node waits durably
 * (status `waiting`, no worker slot, no attempt) until the signal comes, so it runs only then.
 */
@NodeHandler('SYNCHRONIZATION', {
  config: SynchronizationConfigDto,
  runWhen: 'noneFailed',
  awaitsSignal: (config: SynchronizationConfigDto) => config.waitForSignal === true,
})
export class SynchronizationHandler implements NodeTypeHandler<SynchronizationConfigDto> {
  execute(
    context: NodeContext<SynchronizationConfigDto>,
  ): NodeHandlerResult | Promise<NodeHandlerResult> {
    if (!context.config.waitForSignal) {
      return { output: { joined: context.completedDependencies } };
    }
    context.logger.log(`Waiting for a signal to ${context.node.id}`);
    return raceAbort(context.waitForSignal(), context.signal).then((payload) => ({
      output: payload ?? null,
    }));
  }
}
