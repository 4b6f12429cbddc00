/**
 * Calls for the same key while one is under way share it; a call after it settles starts a new one (so an answer is
 * never older than the call that asked for it).
 */
export class InFlight<T> {
  private readonly running = new Map<string, Promise<T>>();

  share(key: string, start: () => Promise<T>): Promise<T> {
    let promise = this.running.get(key);
    if (!promise) {
      promise = start();
      this.running.set(key, promise);
      void promise.catch(() => undefined).finally(() => this.running.delete(key));
    }
    return promise;
  }
}
