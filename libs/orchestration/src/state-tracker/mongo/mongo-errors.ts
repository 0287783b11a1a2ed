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

/** Whether a driver error means the store is unreachable (try again later) rather than a refusal. */
export function isConnectivityError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (CONNECTIVITY_ERRORS.has(error.name)) return true;
  const labels = (error as { errorLabels?: string[] }).errorLabels;
  if (labels?.includes('RetryableWriteError') || labels?.includes('ResetPool')) return true;
  // NOTE: mongoose buffers operations while disconnected and fails them with this message.
  return /buffering timed out|connection .* closed|ECONNREFUSED|ECONNRESET/i.test(error.message);
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

/** The per-document errors of a failed insertMany, or null when the whole command failed. */
export function writeErrorsOf(error: unknown): WriteErrorAt[] | null {
  const e = error as { writeErrors?: unknown } | null;
  if (!e || e.writeErrors === undefined) return null;
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
