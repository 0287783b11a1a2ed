/**
 * External signals for nodes of one execution (approval gates): a signal sent before the node
 * waits is kept until it does.
 */
export class SignalBox {
  private readonly payloads = new Map<number, unknown>();
  private readonly waiters = new Map<number, (payload: unknown) => void>();

  /** Hands `payload` to the node's waiter, or keeps it for the next wait. */
  deliver(i: number, payload: unknown): void {
    const waiter = this.waiters.get(i);
    if (waiter) {
      this.waiters.delete(i);
      waiter(payload);
    } else {
      this.payloads.set(i, payload);
    }
  }

  /** Resolves with the next signal of node `i`; rejects with the signal's reason on abort. */
  wait(i: number, signal: AbortSignal): Promise<unknown> {
    if (this.payloads.has(i)) {
      const payload = this.payloads.get(i);
      this.payloads.delete(i);
      return Promise.resolve(payload);
    }
    return new Promise((resolve, reject) => {
      signal.throwIfAborted();
      const onAbort = () => {
        this.waiters.delete(i);
        reject(signal.reason as Error);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.set(i, (payload) => {
        signal.removeEventListener('abort', onAbort);
        resolve(payload);
      });
    });
  }

  /** Forgets the waiter of node `i` (its attempt ended). */
  clear(i: number): void {
    this.waiters.delete(i);
  }
}
