import { describeExecutionStoreContract } from './testing/execution-store.contract';
import { InMemoryExecutionStore } from './in-memory-execution.store';

describeExecutionStoreContract('InMemoryExecutionStore', async () => ({
  store: new InMemoryExecutionStore(),
  close: async () => {},
}));
