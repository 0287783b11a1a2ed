import { HttpStatus } from '@nestjs/common';

/** The one table from error codes to HTTP statuses; a code not listed is a 500. */
export const ERROR_STATUS: Readonly<Record<string, HttpStatus>> = {
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
  PAYLOAD_TOO_LARGE: HttpStatus.PAYLOAD_TOO_LARGE,
  UNSUPPORTED_MEDIA_TYPE: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  RATE_LIMITED: HttpStatus.TOO_MANY_REQUESTS,
  UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
  SHUTTING_DOWN: HttpStatus.SERVICE_UNAVAILABLE,
};

/** The code given to an `HttpException` (from Nest, a guard or a body parser) by its status. */
export const STATUS_CODE: Readonly<Partial<Record<number, string>>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};
