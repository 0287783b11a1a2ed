import { Inject } from '@nestjs/common';
import { TRELLIS_OPTIONS } from '../../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../../orchestration-options.interface';
import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeHandler } from '../node-handler.decorator';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { ActionRunner } from './action.runner';
import { SetupConfigDto } from './dto/setup-config.dto';
import { identityOf } from './attempt-identity';

/**
 * SETUP: runs its action; the output is the `ActionResult` (status or exit code, duration,
 * output tail, parsed JSON body). Fails (retryable) when the action fails.
 */
@NodeHandler('SETUP', { config: SetupConfigDto })
export class SetupHandler implements NodeTypeHandler<SetupConfigDto> {
  private readonly actions: ActionRunner;

  constructor(@Inject(TRELLIS_OPTIONS) options: ResolvedOrchestrationOptions) {
    this.actions = new ActionRunner(options);
  }

  async execute(context: NodeContext<SetupConfigDto>): Promise<NodeHandlerResult> {
    const result = await this.actions.runOrThrow(
      context.config,
      context.signal,
      `SETUP ${context.node.id}`,
      identityOf(context),
    );
    return { output: result };
  }
}
