/**
 * Writes an episode's steps in order without holding the episode up: a step still waiting for its
 * database diffs is written when they arrive, while the next model turn is already under way. The
 * first failure stops the writing and is thrown by the next check() or flush().
 */
import { insertStep, type NewStep, type StepView } from "../trajectories/store.ts";

type Settled = { ok: true; step: NewStep } | { ok: false; error: unknown };

export class StepRecorder {
  private writing: Promise<void> = Promise.resolve();
  private next = 0;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly trajectoryId: string,
    private readonly onStep?: (step: StepView) => void,
  ) {}

  add(step: NewStep | Promise<NewStep>): void {
    const ordinal = this.next++;
    // Settled at once, so a step whose diffs fail is never an unhandled rejection while it waits.
    const settled: Promise<Settled> = Promise.resolve(step).then(
      (value) => ({ ok: true, step: value }),
      (error: unknown) => ({ ok: false, error }),
    );
    this.writing = this.writing.then(async () => {
      if (this.failure) return;
      try {
        const ready = await settled;
        if (!ready.ok) throw ready.error;
        const stored = await insertStep(this.trajectoryId, ordinal, ready.step);
        this.onStep?.(stored);
      } catch (error) {
        this.failure = { error };
      }
    });
  }

  /** Throws the first failure so far. */
  check(): void {
    if (this.failure) throw this.failure.error;
  }

  /** Waits until every step added is written; throws the first failure. */
  async flush(): Promise<void> {
    await this.writing;
    this.check();
  }
}
