import { NodeExecutionError } from '../errors';
import { ErrorInfo } from '../state-tracker/execution-record.interface';

/** A node output made plain JSON, with its size; or why it cannot be kept. */
export type NormalizedOutput =
  { ok: true; output: unknown; bytes: number } | { ok: false; error: NodeExecutionError };

/**
 * Makes a handler's output plain JSON (what the store keeps and dependents read) and checks its
 * size, so no output can make a journal write fail: a bigger one fails the node, not the store.
 */
export function normalizeOutput(output: unknown, maxBytes: number): NormalizedOutput {
  if (output === undefined || output === null) return { ok: true, output: null, bytes: 0 };
  let text: string | undefined;
  try {
    text = JSON.stringify(output);
  } catch (error) {
    return {
      ok: false,
      error: new NodeExecutionError(
        `The node's output is not JSON-serialisable: ${(error as Error).message}`,
        { retryable: false, code: 'OUTPUT_NOT_SERIALIZABLE' },
      ),
    };
  }
  if (text === undefined) return { ok: true, output: null, bytes: 0 };
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) {
    return {
      ok: false,
      error: new NodeExecutionError(
        `The node's output is ${bytes} bytes as JSON; the limit is ${maxBytes} (maxOutputBytes)`,
        { retryable: false, code: 'OUTPUT_TOO_LARGE', details: { bytes, limit: maxBytes } },
      ),
    };
  }
  return { ok: true, output: JSON.parse(text) as unknown, bytes };
}

/** A node error as stored: message and details made plain JSON and cut to `maxBytes`. */
export function toErrorInfo(
  error: NodeExecutionError,
  maxBytes: number,
): { info: ErrorInfo; bytes: number } {
  const message =
    error.message.length > maxBytes ? `${error.message.slice(0, maxBytes)}… (cut)` : error.message;
  const info: ErrorInfo = { code: error.code ?? 'NODE_EXECUTION_FAILED', message };
  let bytes = message.length;
  if (error.details !== undefined) {
    const details = normalizeOutput(error.details, maxBytes);
    if (details.ok) {
      info.details = details.output;
      bytes += details.bytes;
    } else {
      info.details = { omitted: details.error.message };
    }
  }
  return { info, bytes };
}
