import { definedFields } from '../defined-fields';
import {
  OrchestrationWorkerOptions,
  ResolvedWorkerOptions,
} from './orchestration-worker-options.interface';

/** Fills in the defaults. */
export function resolveWorkerOptions(options: OrchestrationWorkerOptions): ResolvedWorkerOptions {
  const defined = definedFields(options);
  return {
    pool: 'default',
    concurrency: 16,
    lockDurationMs: 30_000,
    prefix: 'trellis',
    ...defined,
  };
}
