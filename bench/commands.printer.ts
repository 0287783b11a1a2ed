import type { CommandsSuiteResult } from './commands.suite';
import type { Distribution } from './percentiles';
import { int, ms, table } from './report.table';

/** The commands suite: latency of signal and cancel sent by an instance that does not own the execution. */
export function renderCommands(suite: CommandsSuiteResult | null): string[] {
  if (!suite) return [];
  const rows = suite.types.flatMap((t) => {
    const row = (what: string, d: Distribution) => [
      t.type,
      what,
      int(d.samples),
      ms(d.p50, 1),
      ms(d.p90, 1),
      ms(d.p99, 1),
      ms(d.max, 1),
    ];
    return [
      row('call .. effect on owner', t.toDone),
      row('call .. applied on owner', t.toApplied),
      row('call .. effect stored', t.toStored),
      row('sender call alone', t.call),
      row('call returned .. effect', t.afterReturn),
    ];
  });
  return [
    '',
    `Commands from another instance (MongoDB store, durable): ${suite.server}`,
    `  owner ${suite.owner} (commandPollMs ${suite.pollMs}${suite.pollMsIsDefault ? ', the default' : ''}) and sender ${suite.sender}, ` +
      `one process each, on a fresh database per command type; executions armed in batches of ${suite.batch}, commands sent one after the other, ${suite.gapMs} ms apart`,
    table(['command', 'from .. to', 'samples', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'], rows),
    '  effect = signal: the SYNCHRONIZATION gate completed; cancel: the execution cancelled (journal stamps of the owner, Date.now() of the sender)',
    "  applied = signal: the gate waiting -> ready; cancel: the running DELAY cancelled; stored = the effect's event on the owner (once in its journal)",
    '  sender call = engine.signal()/cancel() on the sender: reads the journal, then inserts the command record',
    ...suite.types.map(
      (t) =>
        `  ${t.type}: ${t.sent} timed, errors ${t.errors}, missed ${t.missed}, ended otherwise ${t.endedOtherwise}` +
        (t.samples.find((s) => s.error) ? `; e.g. ${t.samples.find((s) => s.error)!.error}` : ''),
    ),
  ];
}
