import type { BenchFailure } from './bench.log';
import type { TargetCheck } from './bench.targets';
import type { CommandsSuiteResult } from './commands.suite';
import type { DurableSuiteResult } from './durable.suite';
import type { HttpSetup } from './http.suite';
import type { LoadResult } from './load.scenario';
import type { MachineInfo } from './machine.info';
import type { ScenarioResult } from './scenario.result';
import type { ShapeResult } from './shapes.scenario';

/** Everything one `npm run bench` measured (null: that suite was not run). */
export interface BenchReport {
  machine: MachineInfo;
  memory: ScenarioResult[];
  durable: DurableSuiteResult | null;
  http: HttpSetup | null;
  shapes: ShapeResult[] | null;
  load: LoadResult[] | null;
  commands: CommandsSuiteResult | null;
  targets: TargetCheck[];
  failures: BenchFailure[];
  /** Wall-clock seconds of the whole run. */
  durationS: number;
}
