import { HttpStatus } from '@nestjs/common';
import { OrchestrationErrorCode } from '../errors';

/**
 * The one table from error codes to HTTP statuses. A `Record` over `OrchestrationErrorCode`, so a
 * code added to the union without a status here does not compile (it cannot fall through to a
 * 500 unnoticed). Node failure codes are open strings and not listed: a node failure that
 * escapes to a request is a 500.
 */
export const ERROR_STATUS: Readonly<Record<OrchestrationErrorCode, HttpStatus>> = {
  GRAPH_INVALID: HttpStatus.BAD_REQUEST,
  GRAPH_CYCLE: HttpStatus.BAD_REQUEST,
  VALIDATION_FAILED: HttpStatus.BAD_REQUEST,
  INVALID_ID: HttpStatus.BAD_REQUEST,
  BODY_TOO_DEEP: HttpStatus.BAD_REQUEST,
  FORBIDDEN_KEY: HttpStatus.BAD_REQUEST,
  MALFORMED_JSON: HttpStatus.BAD_REQUEST,
  BAD_REQUEST: HttpStatus.BAD_REQUEST,
  UNAUTHORIZED: HttpStatus.UNAUTHORIZED,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  GRAPH_NOT_FOUND: HttpStatus.NOT_FOUND,
  EXECUTION_NOT_FOUND: HttpStatus.NOT_FOUND,
  NODE_NOT_FOUND: HttpStatus.NOT_FOUND,
  ROUTE_NOT_FOUND: HttpStatus.NOT_FOUND,
  INVALID_STATE: HttpStatus.CONFLICT,
  STATE_TRANSITION_INVALID: HttpStatus.CONFLICT,
  OWNERSHIP_LOST: HttpStatus.CONFLICT,
  NODE_TYPE_UNKNOWN: HttpStatus.CONFLICT,
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  // NOTE: 422, not 409: nothing about the current state would change the answer (a 409 invites
  // "re-read and retry"); the store will never take this content, and it is healthy (not a 5xx).
  STORE_REJECTED: HttpStatus.UNPROCESSABLE_ENTITY,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  SHUTTING_DOWN: HttpStatus.SERVICE_UNAVAILABLE,
  STORE_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  OVERLOADED: HttpStatus.SERVICE_UNAVAILABLE,
  INTERNAL_ERROR: HttpStatus.INTERNAL_SERVER_ERROR,
  // NOTE: startup failures and the end of an execution (stored as its error) are never an answer
  // to a request; should one escape to one, it is a server fault.
  NODE_HANDLER_DUPLICATE: HttpStatus.INTERNAL_SERVER_ERROR,
  NODE_HANDLER_INVALID: HttpStatus.INTERNAL_SERVER_ERROR,
  EXECUTION_CANCELLED: HttpStatus.INTERNAL_SERVER_ERROR,
  EXECUTION_HALTED: HttpStatus.INTERNAL_SERVER_ERROR,
  EXECUTION_STALLED: HttpStatus.INTERNAL_SERVER_ERROR,
  NODES_FAILED: HttpStatus.INTERNAL_SERVER_ERROR,
};

/** Whether a code is one of the library's own (so `ERROR_STATUS` has its status). */
export function isOrchestrationErrorCode(code: string): code is OrchestrationErrorCode {
  return Object.hasOwn(ERROR_STATUS, code);
}

/** The code given to an `HttpException` (from Nest, a guard or a body parser) by its status. */
export const STATUS_CODE: Readonly<Partial<Record<number, OrchestrationErrorCode>>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};
