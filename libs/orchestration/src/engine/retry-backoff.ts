import { RetryPolicy } from '../graph/graph-definition.interface';

/**
 * Delay before attempt `attempt + 1`, after `attempt` attempts failed.
 * fixed: `initialDelayMs`; exponential: `initialDelayMs * 2^(attempt-1)`; both capped at
 * `maxDelayMs` and spread by ±`jitter` (defaults 1000 ms, 60000 ms, 0.2).
 */
export function retryDelayMs(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const initial = policy.initialDelayMs ?? 1000;
  const max = policy.maxDelayMs ?? 60_000;
  const jitter = policy.jitter ?? 0.2;
  const base = policy.backoff === 'fixed' ? initial : initial * 2 ** Math.max(0, attempt - 1);
  const capped = Math.min(base, max);
  const spread = capped * jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(max, Math.round(capped + spread)));
}
