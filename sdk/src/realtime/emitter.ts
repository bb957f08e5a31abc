/** Listeners by event name, typed by an event map. A listener that throws does not stop the others. */
export class Emitter<Events extends { [K in keyof Events]: (arg: never) => void }> {
  private readonly listeners = new Map<keyof Events, Set<(arg: never) => void>>();

  /** Adds a listener; returns its unsubscribe. */
  on<K extends keyof Events>(type: K, listener: Events[K]): () => void {
    let set = this.listeners.get(type);
    if (!set) this.listeners.set(type, (set = new Set()));
    set.add(listener);
    return () => void set.delete(listener);
  }

  emit<K extends keyof Events>(type: K, arg: Parameters<Events[K]>[0]): void {
    for (const listener of this.listeners.get(type) ?? []) {
      try {
        (listener as (a: typeof arg) => void)(arg);
      } catch (error) {
        // Reported, as an uncaught error would be, without breaking delivery to the rest.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
