/**
 * The parts of the Trellis HTTP API (docs/HTTP-API.md) the CLI reads. Times are ISO-8601 strings.
 */

/** One entry of an error's `details`: a DTO field or a graph problem. */
export interface ApiErrorDetail {
  code?: string;
  path?: string;
  nodeId?: string;
  message: string;
  cycle?: string[];
}

/** The one error shape of every failed request. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: ApiErrorDetail[];
  /** On a 409: the current status of the execution or node. */
  state?: string;
}

/** `{ code, message, details? }` of a failed execution or node. */
export interface ApiFailure {
  code: string;
  message: string;
  details?: unknown;
}

/** `GraphResponse` of `POST /graphs`. */
export interface ApiGraph {
  id: string;
  name: string;
  nodeCount: number;
  createdAt: string;
}

/** `ExecutionSummary`. */
export interface ApiExecutionSummary {
  id: string;
  graphId: string;
  status: string;
  input: Record<string, unknown>;
  idempotencyKey: string | null;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  error?: ApiFailure;
}

/** One node of an `ExecutionResponse`. */
export interface ApiNodeState {
  nodeId: string;
  status: string;
  attempts: number;
  startedAt: string | null;
  completedAt: string | null;
  error?: ApiFailure;
  output?: unknown;
}

/** `ExecutionResponse` of `GET /executions/:id`. */
export interface ApiExecution extends ApiExecutionSummary {
  nodes: ApiNodeState[];
}

/** Data of the final `end` event of `GET /executions/:id/events`. */
export interface ApiStreamEnd {
  id: string;
  status: string;
  error?: ApiFailure;
}
