import { definedFields } from '../defined-fields';
import { Inject, Injectable } from '@nestjs/common';
import { newId } from '../ids';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import {
  EXECUTION_STORE,
  ExecutionCommand,
  ExecutionStore,
} from '../state-tracker/execution-store.interface';
import { ExecutionView } from '../state-tracker/execution-view';
import { ExecutionFold } from '../state-tracker/journal/execution-fold';
import { StateTracker } from '../state-tracker/state-tracker.service';
import { TERMINAL_EXECUTION_STATUSES } from '../state-tracker/status.enum';
import { StoreHealth } from '../state-tracker/store-health';

/** What became of a command left for the owner of an execution. */
export type CommandOutcome =
  | { status: 'applied' }
  | { status: 'refused'; reason: string }
  /** The execution ended and its owner never handled the command: the sender settles it. */
  | { status: 'ended' }
  /** No answer within the wait: the command stays, and is handled once, later. */
  | { status: 'pending' };

/** A command as handed to `CommandOutbox.send`: what the sender gives. */
export type CommandRequest = Omit<ExecutionCommand, 'id' | 'at' | 'seq'>;

/** Polls of the owner (`commandPollMs` each) a sender waits for, at least one second in all. */
const WAIT_POLLS = 20;
const MIN_WAIT_MS = 1000;

/**
 * Sends commands to the owner of an execution that runs on another instance, and learns what
 * became of them: the owner records every command it handles in the execution's journal
 * (applied, or refused with why), so the sender reads the pages written after the state it
 * checked the command against, every `commandPollMs`, for at most `waitMs`.
 */
@Injectable()
export class CommandOutbox {
  constructor(
    @Inject(EXECUTION_STORE) private readonly store: ExecutionStore,
    private readonly health: StoreHealth,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  /** How long `send` waits for the owner: 20 polls, at least 1 s. */
  get waitMs(): number {
    return Math.max(MIN_WAIT_MS, WAIT_POLLS * this.options.commandPollMs);
  }

  /**
   * Inserts a command checked against `fold` (an execution that has not ended) and waits for its
   * outcome. @throws StoreUnavailableError when the command could not be inserted (then it was
   * not sent, or its outcome is unknown: the store did not answer).
   */
  async send(
    request: CommandRequest,
    fold: ExecutionFold,
  ): Promise<{ command: ExecutionCommand; outcome: CommandOutcome }> {
    // NOTE: fields left undefined are left out, not stored as null.
    const given = definedFields(request);
    const command = { ...given, id: newId(), at: new Date(), seq: fold.seq } as ExecutionCommand;
    await this.health.call(() => this.store.insertCommand(command), this.options.storeTimeoutMs);
    const deadline = performance.now() + this.waitMs;
    let scan: JournalScan = { outcome: null, ended: false, lastPage: fold.lastPage };
    while (performance.now() < deadline) {
      await sleep(this.options.commandPollMs);
      // NOTE: a read that fails leaves the outcome unknown: the command is still handled once.
      scan = await this.scan(command, scan).catch(() => scan);
      if (scan.outcome) return { command, outcome: scan.outcome };
      if (scan.ended) return { command, outcome: { status: 'ended' } };
    }
    return { command, outcome: { status: 'pending' } };
  }

  /** What the journal says became of `command`, from its first page; null when nothing yet. */
  async outcomeOf(command: ExecutionCommand): Promise<CommandOutcome | null> {
    const scan = await this.scan(command, { outcome: null, ended: false, lastPage: -1 });
    return scan.outcome;
  }

  /** Deletes commands that were settled (applied or refused for good). */
  forget(ids: string[]): Promise<void> {
    return this.health.call(() => this.store.deleteCommands(ids), this.options.storeTimeoutMs);
  }

  /** Reads the pages after `from.lastPage`, looking for the command's entry and the execution's end. */
  private async scan(command: ExecutionCommand, from: JournalScan): Promise<JournalScan> {
    const read = await this.health.call(
      () => this.store.readJournal(command.executionId, { afterPage: from.lastPage }),
      this.options.storeTimeoutMs,
    );
    let { ended, lastPage } = from;
    for (const page of read.pages) {
      if (page.page <= lastPage) continue;
      lastPage = page.page;
      for (const entry of page.entries) {
        if (entry.kind === 'execution') ended = TERMINAL_EXECUTION_STATUSES.has(entry.to);
        if (entry.kind !== 'command' || entry.commandId !== command.id) continue;
        const outcome: CommandOutcome =
          entry.refused === undefined
            ? { status: 'applied' }
            : { status: 'refused', reason: entry.refused };
        return { outcome, ended, lastPage };
      }
    }
    return { outcome: null, ended, lastPage };
  }
}

/**
 * Journals on `view` that `command` was handled, applied or (with `refused`) not: the entry a
 * new owner skips the command by, and its sender reads the outcome from (`CommandOutbox.send`).
 */
export function recordHandled(
  tracker: StateTracker,
  view: ExecutionView,
  command: ExecutionCommand,
  refused?: string,
): void {
  view.commands.add(command.id);
  tracker.record(view, {
    kind: 'command',
    commandId: command.id,
    command: command.type,
    by: command.by,
    ...(command.reason != null ? { reason: command.reason } : {}),
    ...(refused !== undefined ? { refused } : {}),
  });
}

interface JournalScan {
  outcome: CommandOutcome | null;
  /** Whether the last execution transition read ended it. */
  ended: boolean;
  lastPage: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
