import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  GraphValidationError,
  InvalidStateError,
  NodeActionRefusedError,
  NodeExecutionError,
  OrchestrationError,
  OrchestrationErrorCode,
  StateTransitionError,
  StoreUnavailableError,
} from '../errors';
import { ERROR_STATUS, isOrchestrationErrorCode, STATUS_CODE } from './error-status.table';
import { ErrorDetail, RequestRejectedError } from './request-rejected.error';

/** `code` of the last `details` entry of a graph rejection that lists only the first problems. */
export const PROBLEMS_TRUNCATED = 'PROBLEMS_TRUNCATED';

/** The body of every error response. */
export interface ErrorBody {
  statusCode: number;
  /** A library code, or `HTTP_<status>` for a Nest exception of a status without one. */
  code: OrchestrationErrorCode | `HTTP_${number}`;
  message: string;
  details: ErrorDetail[];
  /** For 409: the state the action did not fit. */
  state?: string;
  /**
   * For a 503 to a request that creates an execution: the id it was to have. The store did not
   * confirm it in time, so it may still be created and run.
   */
  executionId?: string;
}

/**
 * Turns whatever a request threw into the one error shape, with the status from `ERROR_STATUS`.
 * Library errors keep their code; Nest and body-parser exceptions get one by status; anything
 * else is a 500 whose details go to the log only (never a stack trace in a response). An error
 * carrying `retryAfterMs` (`StoreUnavailableError`, `OverloadedError`) also sets `Retry-After`.
 */
@Catch()
export class OrchestrationExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('TrellisHttp');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<{ headersSent?: boolean; end(): void }>();
    if (response.headersSent) {
      // NOTE: a failure after a stream started (SSE) can only end the stream.
      this.logger.error(`Error after the response started: ${describe(exception)}`);
      response.end();
      return;
    }
    const body = toErrorBody(exception);
    const retryAfter = retryAfterSeconds(exception);
    if (retryAfter !== undefined) {
      this.adapterHost.httpAdapter.setHeader(response, 'Retry-After', String(retryAfter));
    }
    if (body.code === 'INTERNAL_ERROR') {
      const request = http.getRequest<{ method?: string; url?: string }>();
      this.logger.error(
        `${request.method} ${request.url} failed: ${describe(exception)}`,
        exception instanceof Error ? exception.stack : undefined,
      );
    }
    this.adapterHost.httpAdapter.reply(response, body, body.statusCode);
  }
}

/** The error body for an exception (exported for tests). */
export function toErrorBody(exception: unknown): ErrorBody {
  const body =
    exception instanceof OrchestrationError
      ? fromOrchestrationError(exception)
      : exception instanceof HttpException
        ? fromHttpException(exception)
        : bodyParserError(exception);
  // NOTE: a server-side failure says nothing of its cause (the log does); a 503 (health report,
  // shutting down, store unavailable, overloaded) is meant for the client.
  if (!body || (body.statusCode >= 500 && body.statusCode !== 503)) return internalError();
  return body;
}

/**
 * The `Retry-After` of an exception that carries `retryAfterMs`: whole seconds, rounded up, at
 * least 1; undefined when it carries none (exported for tests).
 */
export function retryAfterSeconds(exception: unknown): number | undefined {
  const ms = (exception as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return undefined;
  return Math.max(1, Math.ceil(ms / 1000));
}

function internalError(): ErrorBody {
  return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal server error', details: [] };
}

function fromOrchestrationError(error: OrchestrationError<string>): ErrorBody | null {
  // NOTE: a node failure's code is the handler's own (it may even read like one of ours, e.g.
  // VALIDATION_FAILED): a node failure that escapes to a request is a server fault.
  if (error instanceof NodeExecutionError || !isOrchestrationErrorCode(error.code)) return null;
  const body: ErrorBody = {
    statusCode: ERROR_STATUS[error.code],
    code: error.code,
    message: error.message,
    details: [],
  };
  if (error instanceof GraphValidationError) {
    body.details = graphProblemDetails(error);
  } else if (error instanceof RequestRejectedError) {
    body.details = error.details;
  } else if (error instanceof NodeActionRefusedError) {
    body.state = error.state;
    body.details = [
      {
        code: 'NODE_ACTION_REFUSED',
        nodeId: error.nodeId,
        nodeStatus: error.nodeStatus,
        executionStatus: error.executionStatus,
        message: error.why,
      },
    ];
  } else if (error instanceof InvalidStateError) {
    body.state = error.state;
  } else if (error instanceof StateTransitionError) {
    body.state = error.from;
  } else if (error instanceof StoreUnavailableError && error.executionId !== undefined) {
    body.executionId = error.executionId;
  }
  return body;
}

function graphProblemDetails(error: GraphValidationError): ErrorDetail[] {
  const details: ErrorDetail[] = error.problems.map((p) => ({ ...p }));
  if (error.unlisted > 0) {
    details.push({
      code: PROBLEMS_TRUNCATED,
      message: `${error.unlisted} more problems not listed: ${error.total} in all, the first ${error.problems.length} above`,
    });
  }
  return details;
}

function fromHttpException(exception: HttpException): ErrorBody {
  const statusCode = exception.getStatus();
  const response = exception.getResponse();
  let message = exception.message;
  const details: ErrorDetail[] = [];
  if (typeof response === 'object' && response !== null) {
    const raw = response as { message?: unknown; error?: Record<string, unknown> };
    if (Array.isArray(raw.message))
      details.push(...raw.message.map((m) => ({ message: String(m) })));
    else if (typeof raw.message === 'string') message = raw.message;
    // NOTE: @nestjs/terminus fails a health check with its report as the response.
    if (raw.error && typeof raw.error === 'object') {
      message = 'Health check failed';
      for (const [path, info] of Object.entries(raw.error)) {
        details.push({ path, message: JSON.stringify(info) });
      }
    }
  }
  // NOTE: Nest's express adapter turns a body that is not JSON into a plain 400 whose cause is the SyntaxError.
  const malformed = statusCode === 400 && exception.cause instanceof SyntaxError;
  const code = malformed ? 'MALFORMED_JSON' : (STATUS_CODE[statusCode] ?? `HTTP_${statusCode}`);
  if (malformed) message = `The request body is not valid JSON: ${message}`;
  return { statusCode, code, message, details };
}

function bodyParserError(exception: unknown): ErrorBody | null {
  const e = exception as { type?: unknown; status?: unknown; message?: unknown } | null;
  if (!e || typeof e.type !== 'string' || typeof e.status !== 'number') return null;
  if (e.type === 'entity.too.large') {
    return {
      statusCode: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The request body is larger than the limit',
      details: [],
    };
  }
  if (e.type === 'entity.parse.failed') {
    return {
      statusCode: 400,
      code: 'MALFORMED_JSON',
      message: `The request body is not valid JSON: ${String(e.message)}`,
      details: [],
    };
  }
  return {
    statusCode: e.status,
    code: STATUS_CODE[e.status] ?? `HTTP_${e.status}`,
    message: String(e.message),
    details: [],
  };
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
