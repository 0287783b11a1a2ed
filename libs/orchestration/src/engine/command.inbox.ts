import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { OrchestrationError } from '../errors';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import {
  EXECUTION_STORE,
  ExecutionCommand,
  ExecutionCommandType,
  ExecutionStore,
} from '../state-tracker/execution-store.interface';
import { StateTracker } from '../state-tracker/state-tracker.service';
import { StoreHealth } from '../state-tracker/store-health';
import { ExecutionLauncher } from './execution.launcher';
import { ExecutionRun } from './execution-run';
import { NodeActionKind } from './node-action';

/**
 * Commands (cancel, signal, node retry, complete and skip) that other instances left for executions owned here: polled every
 * `commandPollMs` while this instance runs anything, applied once (the journal records each
 * applied command's id, so a new owner after a takeover skips it), then deleted.
 */
@Injectable()
export class CommandInbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Trellis');
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    private readonly launcher: ExecutionLauncher,
    private readonly tracker: StateTracker,
    private readonly health: StoreHealth,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Applies the commands addressed to executions running here now. @returns how many. */
  async poll(): Promise<number> {
    if (this.launcher.ids().length === 0 || !this.health.up) return 0;
    const commands = await this.store.readCommands();
    const done: Promise<string>[] = [];
    for (const command of commands) {
      const run = this.launcher.run(command.executionId);
      if (run) done.push(this.apply(run, command));
    }
    const ids = await Promise.all(done);
    if (ids.length > 0) await this.store.deleteCommands(ids);
    return ids.length;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.poll()
        .catch((error: Error) => this.logger.warn(`Reading commands failed: ${error.message}`))
        .finally(() => this.schedule());
    }, this.options.commandPollMs);
    this.timer.unref();
  }

  /** Applies a command unless the journal says it was; resolves with its id once recorded. */
  private async apply(run: ExecutionRun, command: ExecutionCommand): Promise<string> {
    const view = this.tracker.view(command.executionId);
    if (!view || view.commands.has(command.id)) return command.id;
    view.commands.add(command.id);
    try {
      applyCommand(run, command);
    } catch (error) {
      // NOTE: the state moved on since the command was accepted (it ended, the node completed).
      if (!(error instanceof OrchestrationError)) throw error;
      this.logger.warn(`Command ${command.id} (${command.type}) not applied: ${error.message}`);
    }
    this.tracker.record(view, {
      kind: 'command',
      commandId: command.id,
      command: command.type,
      by: command.by,
      ...(command.reason !== undefined && command.reason !== null
        ? { reason: command.reason }
        : {}),
    });
    await this.tracker.whenStored(view);
    return command.id;
  }
}

/** The node action a command carries. */
const NODE_ACTIONS: Readonly<Partial<Record<ExecutionCommandType, NodeActionKind>>> = {
  'retry-node': 'retry',
  'complete-node': 'complete',
  'skip-node': 'skip',
};

/** Applies one command to the run. @throws OrchestrationError when the state moved on. */
function applyCommand(run: ExecutionRun, command: ExecutionCommand): void {
  const reason = command.reason ?? undefined;
  const kind = NODE_ACTIONS[command.type];
  if (kind) {
    run.applyNodeAction({
      kind,
      nodeId: command.nodeId!,
      by: command.by,
      reason,
      downstream: command.downstream === true,
      output: command.payload ?? null,
    });
  } else if (command.type === 'cancel') {
    run.cancel(command.by, reason);
  } else {
    run.signal(command.nodeId!, command.payload, command.by, reason);
  }
}
