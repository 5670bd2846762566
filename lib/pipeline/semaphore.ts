/**
 * At most `limit` tasks at once. Waiting tasks start by priority (higher first), then in arrival
 * order: the pipeline favours later stages so environments finish, and free their checks, sooner.
 */
export class Semaphore {
  private active = 0;
  private arrivals = 0;
  private readonly waiting: { priority: number; order: number; start: () => void }[] = [];

  /** `within`: a wider limit each task also takes a place in, once it has one here (a job's within the process's). */
  constructor(
    readonly limit: number,
    private readonly within?: Semaphore,
  ) {
    if (!(limit >= 1)) throw new Error(`semaphore limit must be at least 1, got ${limit}`);
  }

  async run<T>(task: () => Promise<T>, priority = 0): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((start) => this.enqueue({ priority, order: this.arrivals++, start }));
    else this.active++;
    try {
      return await (this.within ? this.within.run(task, priority) : task());
    } finally {
      const next = this.waiting.shift();
      if (next) next.start();
      else this.active--;
    }
  }

  private enqueue(waiter: { priority: number; order: number; start: () => void }): void {
    const index = this.waiting.findIndex((other) => other.priority < waiter.priority);
    if (index < 0) this.waiting.push(waiter);
    else this.waiting.splice(index, 0, waiter);
  }
}
