/** One target of the issue checked against one scenario; `pass` is null when it does not apply. */
export interface TargetCheck {
  target: string;
  scenario: string;
  value: number;
  unit: string;
  limit: string;
  pass: boolean | null;
  note?: string;
}

/** The thresholds. */
export const TARGETS = {
  /** In memory, the chain (DELAY, run() to done). */
  chainNodesPerSec: 500_000,
  /** In memory, the wide graphs (fan-out/fan-in, layered). */
  memoryNodesPerSec: 100_000,
  p99LatencyMs: 1,
  validationMs: 50,
  /** Engine heap per node of a live execution (the memory probe). */
  engineBytesPerNode: 1024,
  /** Durable fan-in nodes/s over BullMQ's jobs/s: at least as fast. */
  fanInVsBullmq: 1,
  /** BullMQ's chain hop p50 over Trellis's: Trellis's hop no longer. */
  hopVsBullmq: 1,
  /** Real-world graphs over HTTP: submit to completed per dependency level. */
  msPerLevel: 5,
  /** Sustained load: accepted executions complete within this long of the end of the load. */
  settleMs: 10_000,
  /** Sustained load: p99 of the accept latency. */
  acceptP99Ms: 100,
  /** A command sent to another instance: p99 from the call to its effect on the owner. */
  commandPickupP99Ms: 100,
} as const;
