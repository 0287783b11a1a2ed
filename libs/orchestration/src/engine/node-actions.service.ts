import { Inject, Injectable } from '@nestjs/common';
import {
  InvalidStateError,
  NodeActionRefusedError,
  NotFoundError,
  OrchestrationError,
} from '../errors';
import { CompiledGraph } from '../graph/compiled-graph';
import { TRELLIS_OPTIONS } from '../orchestration.constants';
import { ResolvedOrchestrationOptions } from '../orchestration-options.interface';
import { ExecutionCommand } from '../state-tracker/execution-store.interface';
import { ExecutionView } from '../state-tracker/execution-view';
import { ExecutionFold } from '../state-tracker/journal/execution-fold';
import { StateTracker } from '../state-tracker/state-tracker.service';
import { ExecutionStatus, NodeStatus } from '../state-tracker/status.enum';
import { normalizeOutput } from './attempt-result';
import { CommandOutbox, CommandOutcome, recordHandled } from './command.outbox';
import { ExecutionLauncher } from './execution.launcher';
import { ExecutionReader } from './execution.reader';
import { GraphCatalog } from './graph.catalog';
import {
  actionRefusal,
  journalNodeAction,
  NodeAction,
  NodeActionKind,
  operatorAction,
  operatorActionOf,
  reasonOf,
  resetPlan,
  stoppedNodes,
} from './node-action';

/** How `NodeActionsService.act` ended. */
export interface NodeActionResult {
  /**
   * True when the owner (another instance) did not answer within the wait: the action was left
   * as a command (`commandId`) and is applied once, or refused, later; the journal says which.
   */
  pending: boolean;
  commandId?: string;
}

/** The node action each node-action command carries. */
export const NODE_ACTION_COMMANDS: Readonly<Record<string, NodeActionKind>> = {
  'retry-node': 'retry',
  'complete-node': 'complete',
  'skip-node': 'skip',
};

/** Why a command is not applied to a re-run of its execution that began after it. */
const STALE = 'the execution was re-run after the action was sent';

/**
 * Operators' actions on one node (retry, complete, skip; see `NodeAction`) wherever the
 * execution runs: applied to the run here, sent as a command to the owner elsewhere (and its
 * outcome waited for), or applied by re-running an ended execution here in one claim page.
 */
@Injectable()
export class NodeActionsService {
  constructor(
    private readonly launcher: ExecutionLauncher,
    private readonly reader: ExecutionReader,
    private readonly catalog: GraphCatalog,
    private readonly tracker: StateTracker,
    private readonly outbox: CommandOutbox,
    @Inject(TRELLIS_OPTIONS) private readonly options: ResolvedOrchestrationOptions,
  ) {}

  /**
   * Applies the action. Resolves once it is stored here, or the owner elsewhere recorded it as
   * applied; with `pending` when the owner did not answer in time (see `NodeActionResult`).
   * `admit` is asked before an ended execution is re-run here (shutdown, overload).
   * @throws NotFoundError; NodeActionRefusedError (409) when the state does not allow it (also
   * when the owner refused it); OrchestrationError PAYLOAD_TOO_LARGE for an output over `maxOutputBytes`.
   */
  async act(executionId: string, action: NodeAction, admit: () => void): Promise<NodeActionResult> {
    const checked = this.withPlainOutput(action);
    const run = this.launcher.run(executionId);
    if (run && !run.ended) {
      run.applyNodeAction(checked);
      if (await this.tracker.storedHere(executionId)) return { pending: false };
    } else if (run) {
      await this.launcher.settledOf(executionId);
    }
    const fold = await this.reader.fold(executionId, false);
    const graph = await this.catalog.compiledGraph(fold.record!.graphId);
    if (!graph.index.has(action.nodeId)) throw new NotFoundError('node', action.nodeId);
    const refusal = refusalIn(fold, graph, checked);
    if (refusal) throw refusedBy(fold, checked, refusal);
    if (fold.ended) {
      await this.launcher.reopen(executionId, async () => {
        admit();
        const result = await this.reopenWith(graph, executionId, checked);
        if (result.status === 'lost') {
          throw new InvalidStateError(
            `Execution ${executionId} was reopened by another instance`,
            ExecutionStatus.RUNNING,
          );
        }
        if (result.status === 'refused') throw refusedBy(result.fold, checked, result.reason);
      });
      return { pending: false };
    }
    const { kind, nodeId, by, reason, downstream, output } = checked;
    const { command, outcome } = await this.outbox.send(
      {
        executionId,
        type: operatorActionOf(kind),
        by,
        reason,
        nodeId,
        downstream,
        payload: output,
      },
      fold,
    );
    if (outcome.status === 'pending') return { pending: true, commandId: command.id };
    await this.settled(command, outcome, graph, checked);
    return { pending: false };
  }

  /**
   * Settles a node-action command whose execution ended before its owner handled it: applies
   * it by re-running the execution here (as the same request sent now would), unless the state
   * refuses it or the execution was re-run after it was sent. Either way the command is deleted.
   * @throws NodeActionRefusedError when it is not applied.
   */
  async settleEnded(command: ExecutionCommand): Promise<void> {
    const fold = await this.reader.fold(command.executionId, false);
    const graph = await this.catalog.compiledGraph(fold.record!.graphId);
    await this.settled(command, { status: 'ended' }, graph, actionOf(command));
  }

  /** Turns what became of a command into the action's answer. @throws NodeActionRefusedError */
  private async settled(
    command: ExecutionCommand,
    outcome: CommandOutcome,
    graph: CompiledGraph,
    action: NodeAction,
  ): Promise<void> {
    if (outcome.status === 'ended') {
      const result = await this.launcher
        .reopen(command.executionId, () =>
          this.reopenWith(graph, command.executionId, action, command),
        )
        .catch((error: unknown) => {
          if (error instanceof InvalidStateError) return { status: 'lost' as const };
          throw error;
        });
      await this.outbox.forget([command.id]);
      if (result.status === 'claimed') return;
      if (result.status === 'refused') throw refusedBy(result.fold, action, result.reason);
      // NOTE: another request re-ran it first, with this command (then the journal says so) or
      // without it (then the command is stale: no owner applies it).
      const found = await this.outbox.outcomeOf(command);
      if (found?.status === 'applied') return;
      outcome = { status: 'refused', reason: found?.status === 'refused' ? found.reason : STALE };
    }
    if (outcome.status === 'refused') {
      const fold = await this.reader.fold(command.executionId, false);
      throw refusedBy(fold, action, outcome.reason);
    }
  }

  /**
   * Claims an ended execution here with the node action (and, for a command, its command entry)
   * in the claim's page; the execution runs to a new end.
   */
  private async reopenWith(
    graph: CompiledGraph,
    executionId: string,
    action: NodeAction,
    command?: ExecutionCommand,
  ): Promise<
    | { status: 'claimed' }
    | { status: 'lost' }
    | { status: 'refused'; reason: string; fold: ExecutionFold }
  > {
    const reason = reasonOf(action);
    const result = await this.launcher.claim(executionId, {
      reason,
      check: (fold) => {
        if (command && fold.commands.has(command.id)) return HANDLED;
        if (!fold.ended)
          return `the execution was reopened meanwhile; it is ${fold.record!.status}`;
        if (command?.seq !== undefined && fold.reopenedSeq > command.seq) return STALE;
        return refusalIn(fold, graph, action);
      },
      prepare: (view) => this.journalReopen(view, graph, action, command),
    });
    if (result.status === 'claimed') return { status: 'claimed' };
    if (result.status === 'lost') return { status: 'lost' };
    if (!result.fold) throw new NotFoundError('execution', executionId);
    if (result.reason === HANDLED) return { status: 'lost' };
    return { status: 'refused', reason: result.reason, fold: result.fold };
  }

  /**
   * The claim page of a re-run by a node action: the execution back to running, the node's
   * transition, the nodes below it that reset with it, and the nodes an earlier stop (cancel,
   * halt) cancelled or skipped, so the execution cannot end completed with them still stopped.
   */
  private journalReopen(
    view: ExecutionView,
    graph: CompiledGraph,
    action: NodeAction,
    command?: ExecutionCommand,
  ): void {
    const reason = reasonOf(action);
    const kind = operatorActionOf(action.kind);
    const lastAction = operatorAction(kind, action.by, action.reason, action.nodeId);
    const stopped = stoppedNodes(view.record, (j) => view.nodes[j], view.nodes.length);
    this.tracker.transitionExecution(
      view,
      ExecutionStatus.RUNNING,
      { lastAction },
      action.by,
      reason,
      true,
    );
    const i = graph.index.get(action.nodeId)!;
    const plan = resetPlan(graph, (j) => view.nodes[j].status, i, action);
    const reset = new Set('reset' in plan ? plan.reset : []);
    for (const j of stopped) if (j !== i) reset.add(j);
    journalNodeAction(this.tracker, view, i, [...reset], action);
    if (command) recordHandled(this.tracker, view, command);
  }

  /** The action with its output made plain JSON. @throws OrchestrationError when it cannot be kept. */
  private withPlainOutput(action: NodeAction): NodeAction {
    if (action.kind !== 'complete') return action;
    const output = normalizeOutput(action.output, this.options.maxOutputBytes);
    if (output.ok) return { ...action, output: output.output };
    const code =
      output.error.code === 'OUTPUT_TOO_LARGE' ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED';
    throw new OrchestrationError(code, output.error.message);
  }
}

/** A claim check's answer when the command was handled already (by another instance). */
const HANDLED = 'the command was handled already';

/** The node action a node-action command carries. */
export function actionOf(command: ExecutionCommand): NodeAction {
  return {
    kind: NODE_ACTION_COMMANDS[command.type],
    nodeId: command.nodeId!,
    by: command.by,
    reason: command.reason ?? undefined,
    downstream: command.downstream === true,
    output: command.payload ?? null,
  };
}

/** Why a node action does not fit the stored state of its execution, or undefined when it does. */
function refusalIn(
  fold: ExecutionFold,
  graph: CompiledGraph,
  action: NodeAction,
): string | undefined {
  return actionRefusal(
    graph,
    (j) => fold.nodes.get(graph.nodes[j].id)?.status ?? NodeStatus.PENDING,
    action,
  );
}

/** The 409 for a node action the stored state does not allow. */
function refusedBy(fold: ExecutionFold, action: NodeAction, why: string): NodeActionRefusedError {
  const status = fold.nodes.get(action.nodeId)?.status ?? NodeStatus.PENDING;
  return new NodeActionRefusedError(action.kind, action.nodeId, status, fold.record!.status, why);
}
