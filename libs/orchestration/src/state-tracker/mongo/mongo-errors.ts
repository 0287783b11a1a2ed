import { StoreUnavailableError } from '../../errors';

/** Driver errors that say the server could not be reached or did not answer, not that it refused. */
const CONNECTIVITY_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongooseServerSelectionError',
  'MongoExpiredSessionError',
]);

/** Socket error codes of a connection that broke. */
const SOCKET_CODES = new Set([
  'EPIPE',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ENOTCONN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** Errors that mean the server looked at what was sent and refused it (or the driver could not encode it). */
const REFUSALS = new Set([
  'MongoServerError',
  'MongoBulkWriteError',
  'MongoWriteConcernError',
  'BSONError',
  'BSONVersionError',
  'MongoInvalidArgumentError',
  'RangeError',
]);

/** The fields of an error this module reads (duck-typed: errors from another realm fail `instanceof`). */
interface ErrorLike {
  name: string;
  message: string;
  code?: unknown;
  cause?: unknown;
  errorLabels?: string[];
}

function asError(value: unknown): ErrorLike | null {
  const e = value as Partial<ErrorLike> | null;
  return e && typeof e === 'object' && typeof e.name === 'string' && typeof e.message === 'string'
    ? (e as ErrorLike)
    : null;
}

/** Whether a driver error means the store is unreachable (try again later) rather than a refusal. */
export function isConnectivityError(error: unknown): boolean {
  for (let e = asError(error), depth = 0; e && depth < 4; e = asError(e.cause), depth++) {
    if (CONNECTIVITY_ERRORS.has(e.name)) return true;
    if (SOCKET_CODES.has(e.code as string)) return true;
    const labels = e.errorLabels;
    if (labels?.includes('RetryableWriteError') || labels?.includes('ResetPool')) return true;
    // NOTE: mongoose buffers operations while disconnected and fails them with such messages.
    if (
      /buffering timed out|connection .* closed|socket has been ended|socket hang up|ECONNREFUSED|ECONNRESET|EPIPE/i.test(
        e.message,
      )
    )
      return true;
  }
  return false;
}

/**
 * Whether an error is a refusal of what was sent (a server error code, a document the driver
 * cannot encode): trying the same again fails the same way. Anything else is taken as transient.
 */
export function isRefusal(error: unknown): boolean {
  const e = asError(error);
  return e !== null && !isConnectivityError(e) && REFUSALS.has(e.name);
}

/** A connectivity failure as `StoreUnavailableError`; any other error as it is. */
export function toStoreError(error: unknown): unknown {
  if (!isConnectivityError(error)) return error;
  return new StoreUnavailableError(`MongoDB unreachable: ${(error as Error).message}`, {
    retryAfterMs: 1000,
    cause: error,
  });
}

/** Runs a driver call; a connectivity failure becomes `StoreUnavailableError`, anything else is rethrown. */
export async function storeCall<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toStoreError(error);
  }
}

/** One write error of a bulk insert, by the index of the document. */
export interface WriteErrorAt {
  index: number;
  code: number;
  message: string;
}

/**
 * The per-document errors of a failed insertMany, or null when the whole command failed. A
 * broken connection also comes as a bulk write error, with an empty list: that is a failure of
 * the command, never "every document stored".
 */
export function writeErrorsOf(error: unknown): WriteErrorAt[] | null {
  const e = error as { writeErrors?: unknown } | null;
  if (!e || e.writeErrors === undefined || isConnectivityError(error)) return null;
  if (Array.isArray(e.writeErrors) && e.writeErrors.length === 0) return null;
  const list = (Array.isArray(e.writeErrors) ? e.writeErrors : [e.writeErrors]) as {
    index?: number;
    code?: number;
    errmsg?: string;
    err?: { index?: number; code?: number; errmsg?: string };
  }[];
  return list.map((w) => ({
    index: w.index ?? w.err?.index ?? -1,
    code: w.code ?? w.err?.code ?? 0,
    message: w.errmsg ?? w.err?.errmsg ?? 'write refused',
  }));
}

/** Whether a write failed only on unique keys (code 11000), for a single or a bulk write. */
export function isDuplicateKeyError(error: unknown): boolean {
  const errors = writeErrorsOf(error);
  if (errors) return errors.length > 0 && errors.every((w) => w.code === 11000);
  return (error as { code?: number } | null)?.code === 11000;
}
