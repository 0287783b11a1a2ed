/**
 * Every code an `OrchestrationError` (other than a node failure) can carry, and every code the
 * HTTP layer answers with. A string-literal union, so the HTTP table (`ERROR_STATUS`, a
 * `Record` over it) fails to compile when a code is added without a status.
 *
 * NOTE: node failure codes (`NodeExecutionError.code`: `NODE_EXECUTION_FAILED`, `NODE_TIMEOUT`,
 * `TEST_FAILED`, a user handler's own, ...) are open strings and deliberately not part of it: a
 * handler chooses them, and a node failure is stored with its node, never an HTTP answer.
 */
export type OrchestrationErrorCode =
  | GraphErrorCode
  | LookupErrorCode
  | ConflictErrorCode
  | StoreErrorCode
  | ExecutionEndCode
  | StartupErrorCode
  | RequestErrorCode;

/** A graph definition was rejected: `GRAPH_CYCLE` when a cycle is its only problem. */
export type GraphErrorCode = 'GRAPH_INVALID' | 'GRAPH_CYCLE';

/** Something asked for does not exist. */
export type LookupErrorCode = 'GRAPH_NOT_FOUND' | 'EXECUTION_NOT_FOUND' | 'NODE_NOT_FOUND';

/** An action that does not fit the current state of an execution, a node or this instance. */
export type ConflictErrorCode =
  'INVALID_STATE' | 'STATE_TRANSITION_INVALID' | 'OWNERSHIP_LOST' | 'NODE_TYPE_UNKNOWN';

/**
 * The store or this instance cannot take the work: for now (`STORE_UNAVAILABLE`, `OVERLOADED`,
 * `SHUTTING_DOWN`) or for good (`STORE_REJECTED`).
 */
export type StoreErrorCode =
  'STORE_UNAVAILABLE' | 'STORE_REJECTED' | 'OVERLOADED' | 'SHUTTING_DOWN';

/** Why an execution ended without completing; stored as the execution's `error.code`. */
export type ExecutionEndCode =
  'EXECUTION_CANCELLED' | 'EXECUTION_HALTED' | 'EXECUTION_STALLED' | 'NODES_FAILED';

/** The module cannot start: a `@NodeHandler()` provider is duplicated or malformed. */
export type StartupErrorCode = 'NODE_HANDLER_DUPLICATE' | 'NODE_HANDLER_INVALID';

/** Codes of the HTTP layer: a request refused before it reaches the engine, or a Nest / body-parser failure. */
export type RequestErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_ID'
  | 'BODY_TOO_DEEP'
  | 'FORBIDDEN_KEY'
  | 'MALFORMED_JSON'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'ROUTE_NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'INTERNAL_ERROR';
