/** Work under way, oldest first: what holds new work back while too much of it waits (see EpisodeState, StepRecorder). */
export class Backlog {
  private pending: Promise<void>[] = [];

  /** Counts `work` until it settles (it is never left an unhandled rejection here). */
  track(work: Promise<unknown>): void {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.push(settled);
    void settled.then(() => this.pending.splice(this.pending.indexOf(settled), 1));
  }

  /** Resolves once fewer than `limit` are under way. */
  async below(limit: number): Promise<void> {
    while (this.pending.length >= limit) await this.pending[0];
  }
}
