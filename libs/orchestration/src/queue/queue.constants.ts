/** Injection token of a worker's resolved options (`OrchestrationWorkerModule`). */
export const TRELLIS_WORKER_OPTIONS = 'TRELLIS:WORKER_OPTIONS';
