import type { GraphDefinition } from '../libs/orchestration/src';
import type { BenchCommandType } from './commands.config';

/** How long the commands suite's nodes wait by themselves: far longer than any run of it. */
const HOLD_MS = 30 * 60_000;

/** The node of each command graph that a command acts on. */
export const COMMAND_NODE_ID: Record<BenchCommandType, string> = {
  signal: 'gate',
  cancel: 'hold',
};

/**
 * What the owner waits for before an execution is handed to the sender (its event is
 * emitted once stored): the gate `waiting` for a signal (no worker slot), the DELAY `running`.
 */
export const ARMED_STATUS: Record<BenchCommandType, string> = {
  signal: 'waiting',
  cancel: 'running',
};

/**
 * One graph per command type, of a single node: `signal` a SYNCHRONIZATION gate with
 * `waitForSignal` (it waits durably until the signal, then completes with its payload);
 * `cancel` a DELAY of 30 minutes (running, in a worker slot, until the cancel aborts it).
 */
export function commandGraph(type: BenchCommandType): GraphDefinition {
  const id = COMMAND_NODE_ID[type];
  return type === 'signal'
    ? {
        name: 'bench-command-signal',
        nodes: [
          { id, type: 'SYNCHRONIZATION', config: { waitForSignal: true }, timeoutMs: HOLD_MS },
        ],
      }
    : {
        name: 'bench-command-cancel',
        nodes: [{ id, type: 'DELAY', config: { ms: HOLD_MS }, timeoutMs: 2 * HOLD_MS }],
      };
}
