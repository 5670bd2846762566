/**
 * Writes an episode's steps in order without holding the episode up: a step still waiting for its
 * database diffs is written when they arrive, while the next model turn is already under way, and
 * no step is written before the model call it links to. The first failure stops the writing and is
 * thrown by the next check() or flush().
 */
import { insertStep, type NewStep, type StepView } from "../trajectories/store.ts";
import { Backlog } from "./backlog.ts";

/**
 * Steps added and not yet written, at most, before room() holds the next call: each holds its answer
 * (up to the answer cap) and, until its diffs are done, its database copy, so an environment whose
 * diffs are slow cannot pile them up in the studio's memory and disk.
 */
const UNWRITTEN_STEPS = 4;

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export class StepRecorder {
  private writing: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | undefined;
  private readonly unwritten = new Backlog();

  /** `next`: the ordinal of the first step added (a trajectory that goes on has steps already). */
  constructor(
    private readonly trajectoryId: string,
    private readonly onStep?: (step: StepView) => void,
    private next = 0,
  ) {}

  /** `ordinal`: the step's; `written` resolves to the step once written, and rejects when it or a step before it failed (never unhandled). */
  add(step: NewStep | Promise<NewStep>): { ordinal: number; written: Promise<StepView> } {
    const ordinal = this.next++;
    let stored: StepView | undefined;
    const written = this.enqueue(step, async (ready) => {
      stored = await insertStep(this.trajectoryId, ordinal, ready);
      this.onStep?.(stored);
    }).then(() => {
      if (!stored) throw this.failure?.error;
      return stored;
    });
    written.catch(() => undefined); // the caller may not wait for it; its failure stays in check() and flush()
    this.unwritten.track(written);
    return { ordinal, written };
  }

  /** Steps added from now on are written once `ready` is (the model call they link to is recorded); its failure stops the writing. */
  waitFor(ready: Promise<unknown>): void {
    void this.enqueue(ready, async () => undefined);
  }

  private enqueue<T>(value: T | Promise<T>, write: (ready: T) => Promise<void>): Promise<void> {
    // Settled at once, so a step whose diffs fail is never an unhandled rejection while it waits.
    const settled: Promise<Settled<T>> = Promise.resolve(value).then(
      (ready) => ({ ok: true, value: ready }),
      (error: unknown) => ({ ok: false, error }),
    );
    this.writing = this.writing.then(async () => {
      if (this.failure) return;
      try {
        const ready = await settled;
        if (!ready.ok) throw ready.error;
        await write(ready.value);
      } catch (error) {
        this.failure = { error };
      }
    });
    return this.writing;
  }

  /** Resolves once few enough steps wait to be written for another call to run (see UNWRITTEN_STEPS). */
  async room(): Promise<void> {
    await this.unwritten.below(UNWRITTEN_STEPS);
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
