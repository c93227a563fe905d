import { Subscription, type SchedulerLike } from 'rxjs';

/**
 * A scheduler whose turns a test runs one at a time: `turn()` runs what was booked before it
 * (whatever those actions book goes to the next turn), so a test can see what each turn of the
 * loop did. Its clock stands still; delays are ignored.
 *
 * @example
 * const turns = turnByTurnScheduler();
 * const feed = new IdFeed(turns.scheduler, take);
 * turns.turn();
 */
export function turnByTurnScheduler() {
  let booked: { run: () => void; subscription: Subscription }[] = [];
  const scheduler = {
    now: () => 0,
    schedule(work: () => void) {
      const subscription = new Subscription(() => (booked = booked.filter((b) => b.subscription !== subscription)));
      booked.push({ run: work, subscription });
      return subscription;
    },
  } as unknown as SchedulerLike;
  return {
    scheduler,
    /** Runs the actions booked so far. */
    turn(): void {
      const due = booked;
      booked = [];
      for (const { run } of due) run();
    },
    /** Actions booked and not run. */
    get pending(): number {
      return booked.length;
    },
  };
}
