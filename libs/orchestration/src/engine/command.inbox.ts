import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { NotFoundError, OrchestrationError } from '../errors';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import {
  EXECUTION_STORE,
  ExecutionCommand,
  ExecutionStore,
} from '../state-tracker/execution-store.interface';
import { ExecutionView } from '../state-tracker/execution-view';
import { StateTracker } from '../state-tracker/state-tracker.service';
import { StoreHealth } from '../state-tracker/store-health';
import { CommandOutbox, recordHandled } from './command.outbox';
import { ExecutionLauncher } from './execution.launcher';
import { ExecutionReader } from './execution.reader';
import { ExecutionRun } from './execution-run';
import { actionOf, NODE_ACTION_COMMANDS, NodeActionsService } from './node-actions.service';

/** Poll ticks between two reads of the commands while nothing runs here (orphans only). */
const IDLE_TICKS = 20;
/** How many `CommandOutbox.waitMs` a command waits for its sender before anyone else settles it. */
const ORPHAN_AFTER_WAITS = 3;

/**
 * Commands (cancel, signal, node retry, complete and skip) that other instances left for
 * executions owned here: polled every `commandPollMs` while this instance runs anything, handled
 * once (applied, or refused with why; the journal records each, so a new owner after a takeover
 * skips it and its sender learns the outcome), then deleted. A command never applies to a re-run
 * of its execution begun after it was sent. Commands whose execution ended before its owner
 * handled them (and whose sender stopped waiting) are settled by any instance: a node action as
 * the same request sent now would be (a re-run of the execution), a cancel or signal refused.
 */
@Injectable()
export class CommandInbox implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Trellis');
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private ticks = 0;

  constructor(
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    private readonly launcher: ExecutionLauncher,
    private readonly tracker: StateTracker,
    private readonly health: StoreHealth,
    private readonly reader: ExecutionReader,
    private readonly actions: NodeActionsService,
    private readonly outbox: CommandOutbox,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * Handles the commands addressed to executions running here now and, every `IDLE_TICKS`
   * polls, settles orphans. @returns how many commands were handled for runs here.
   */
  async poll(): Promise<number> {
    const tick = this.ticks++;
    const orphansToo = tick % IDLE_TICKS === 0;
    if (!this.health.up || (this.launcher.ids().length === 0 && !orphansToo)) return 0;
    const commands = await this.store.readCommands();
    const done: Promise<string>[] = [];
    const orphans: ExecutionCommand[] = [];
    const oldAt = Date.now() - ORPHAN_AFTER_WAITS * this.outbox.waitMs;
    for (const command of commands) {
      const run = this.launcher.run(command.executionId);
      if (run && !run.ended) done.push(this.apply(run, command));
      else if (orphansToo && new Date(command.at).getTime() < oldAt) orphans.push(command);
    }
    const ids = await Promise.all(done);
    if (ids.length > 0) await this.store.deleteCommands(ids);
    for (const command of orphans) {
      await this.settleOrphan(command).catch((error: Error) =>
        this.logger.warn(`Command ${command.id} (${command.type}) not settled: ${error.message}`),
      );
    }
    return ids.length;
  }

  /** Settles a command whose sender stopped waiting and that no run here handles. */
  async settleOrphan(command: ExecutionCommand): Promise<void> {
    const fold = await this.reader.fold(command.executionId, false).catch((error: unknown) => {
      if (error instanceof NotFoundError) return null;
      throw error;
    });
    if (fold && !fold.commands.has(command.id)) {
      // NOTE: an execution that has not ended is its owner's (or, once its lease expired, its
      // next owner's) to handle.
      if (!fold.ended) return;
      if (NODE_ACTION_COMMANDS[command.type]) {
        try {
          await this.actions.settleEnded(command);
        } catch (error) {
          if (!(error instanceof OrchestrationError)) throw error;
          this.logger.warn(`Command ${command.id} (${command.type}) refused: ${error.message}`);
        }
        return;
      }
      this.logger.warn(
        `Command ${command.id} (${command.type}) refused: execution ${command.executionId} is ${fold.record!.status}`,
      );
    }
    await this.outbox.forget([command.id]);
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

  /**
   * Handles a command unless the journal says it was: applies it, or records why not (its
   * execution was re-run after it was sent, or the state moved on). The command's entry and
   * what it changed go in one page. Resolves with its id once recorded.
   */
  private async apply(run: ExecutionRun, command: ExecutionCommand): Promise<string> {
    const view = this.tracker.view(command.executionId);
    if (!view || view.commands.has(command.id)) return command.id;
    view.commands.add(command.id);
    this.tracker.together(view, () => {
      const refused = this.refusal(run, view, command);
      if (refused !== undefined) {
        this.logger.warn(`Command ${command.id} (${command.type}) not applied: ${refused}`);
      }
      recordHandled(this.tracker, view, command, refused);
    });
    await this.tracker.whenStored(view);
    return command.id;
  }

  /** Applies the command; returns why it was not applied, or undefined when it was. */
  private refusal(
    run: ExecutionRun,
    view: ExecutionView,
    command: ExecutionCommand,
  ): string | undefined {
    if (command.seq !== undefined && command.seq < view.reopenedSeq) {
      return 'the execution was re-run after the command was sent';
    }
    try {
      applyCommand(run, command);
      return undefined;
    } catch (error) {
      // NOTE: the state moved on since the command was accepted (it ended, the node started).
      if (!(error instanceof OrchestrationError)) throw error;
      return error.message;
    }
  }
}

/** Applies one command to the run. @throws OrchestrationError when the state moved on. */
function applyCommand(run: ExecutionRun, command: ExecutionCommand): void {
  const reason = command.reason ?? undefined;
  if (NODE_ACTION_COMMANDS[command.type]) {
    run.applyNodeAction(actionOf(command));
  } else if (command.type === 'cancel') {
    run.cancel(command.by, reason);
  } else {
    run.signal(command.nodeId!, command.payload, command.by, reason);
  }
}
