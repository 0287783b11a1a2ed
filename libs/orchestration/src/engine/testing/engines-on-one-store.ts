import { OrchestrationModuleOptions } from '../../orchestration-options.interface';
import { ControlledStore } from '../../state-tracker/testing/controlled.store';
import { createTestEngine, TestEngine } from './create-test-engine';

/**
 * Engines of several instances sharing one embedded store, as several processes share one
 * database: made in a `describe` block, it gives each test a fresh `store` and closes the
 * engines the test started (those still in `engines`) after it.
 */
export class EnginesOnOneStore {
  store = new ControlledStore();
  readonly engines: TestEngine[] = [];

  constructor(private readonly defaults: OrchestrationModuleOptions) {
    beforeEach(() => {
      this.store = new ControlledStore();
    });
    afterEach(async () => {
      for (const t of this.engines.splice(0)) await t.close();
    });
  }

  /** Starts the engine of `instanceId` on the shared store, with `options` over the defaults. */
  async engine(instanceId: string, options: OrchestrationModuleOptions = {}): Promise<TestEngine> {
    const t = await createTestEngine(
      { ...this.defaults, instanceId, ...options },
      { store: this.store },
    );
    this.engines.push(t);
    return t;
  }
}

/** Polls `check` every 10 ms until it returns true (an error counts as not yet); fails after `ms`. */
export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  ms = 5000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await Promise.resolve(check()).catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
