import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeHandler } from '../node-handler.decorator';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { DelayConfigDto } from './dto/delay-config.dto';

/**
 * DELAY: waits `ms` milliseconds; output `{ waitedMs }`. An abort rejects at once with the
 * signal's reason. With `ms: 0` it returns synchronously: no timer, no promise.
 */
@NodeHandler('DELAY', { config: DelayConfigDto })
export class DelayHandler implements NodeTypeHandler<DelayConfigDto> {
  execute(context: NodeContext<DelayConfigDto>): NodeHandlerResult | Promise<NodeHandlerResult> {
    const { ms } = context.config;
    context.signal.throwIfAborted();
    // NOTE: benchmarks run thousands of DELAY 0 nodes a second; the engine completes a
    // synchronous result without waiting on a timer or a promise hop.
    if (!(ms > 0)) return { output: { waitedMs: 0 } };
    return sleep(ms, context.signal).then(() => ({ output: { waitedMs: ms } }));
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
