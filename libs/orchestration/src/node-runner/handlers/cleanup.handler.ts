import { Inject } from '@nestjs/common';
import { TRELLIS_OPTIONS } from '../../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../../orchestration-options.interface';
import { NodeContext, NodeHandlerResult } from '../node-context.interface';
import { NodeHandler } from '../node-handler.decorator';
import { NodeTypeHandler } from '../node-type-handler.interface';
import { ActionRunner } from './action.runner';
import { CleanupConfigDto } from './dto/cleanup-config.dto';
import { identityOf } from './attempt-identity';

/**
 * CLEANUP: runs its action once every dependency is done, whatever their outcome (`runWhen:
 * 'allDone'`); the output is the `ActionResult`. Fails (retryable) when the action fails.
 */
@NodeHandler('CLEANUP', { config: CleanupConfigDto, runWhen: 'allDone' })
export class CleanupHandler implements NodeTypeHandler<CleanupConfigDto> {
  private readonly actions: ActionRunner;

  constructor(@Inject(TRELLIS_OPTIONS) options: ResolvedOrchestrationOptions) {
    this.actions = new ActionRunner(options);
  }

  async execute(context: NodeContext<CleanupConfigDto>): Promise<NodeHandlerResult> {
    const result = await this.actions.runOrThrow(
      context.config,
      context.signal,
      `CLEANUP ${context.node.id}`,
      identityOf(context),
    );
    return { output: result };
  }
}
