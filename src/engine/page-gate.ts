import { globalEvents, offline } from '../status/when-online.js';
import { pageHidden } from '../status/when-visible.js';

/**
 * The status stream's page gates for many tasks at once: a task about to read waits while the
 * browser is offline (every attempt, as `whenOnline`) or, with `pauseWhenHidden`, while the page
 * is hidden (each new read, as `whenVisible`), and goes on at the `online` / `visibilitychange`
 * that ends the wait. One listener per event for all held tasks, only while some task is held;
 * outside a browser nothing is ever held.
 *
 * @internal
 */
export class PageGate<T> {
  private readonly held = new Set<T>();
  private listening: EventTarget | undefined;
  private event = '';

  /**
   * @param pauseWhenHidden - the option of that name
   * @param resume - called for each held item once its wait is over
   */
  constructor(
    private readonly pauseWhenHidden: boolean,
    private readonly resume: (item: T) => void,
  ) {}

  /**
   * Holds `item` when it must wait.
   *
   * @param newRead - a new read (not a retry): the page's visibility applies
   * @returns a release that drops it from the wait, or undefined when it need not wait
   */
  hold(item: T, newRead: boolean): (() => void) | undefined {
    const event = offline() ? 'online' : this.pauseWhenHidden && newRead && pageHidden() ? 'visibilitychange' : undefined;
    if (!event) return undefined;
    this.held.add(item);
    this.listen(event === 'online' ? (globalEvents() as EventTarget) : document, event);
    return () => this.drop(item);
  }

  /** Stops listening and forgets every held item. */
  close(): void {
    this.held.clear();
    this.unlisten();
  }

  private listen(target: EventTarget, event: string): void {
    if (this.listening === target && this.event === event) return;
    this.unlisten();
    this.listening = target;
    this.event = event;
    target.addEventListener(event, this.onEvent);
  }

  private unlisten(): void {
    this.listening?.removeEventListener(this.event, this.onEvent);
    this.listening = undefined;
  }

  private drop(item: T): void {
    this.held.delete(item);
    if (this.held.size === 0) this.unlisten();
  }

  private readonly onEvent = (): void => {
    if (this.event === 'visibilitychange' && pageHidden()) return;
    const items = [...this.held];
    this.held.clear();
    this.unlisten();
    for (const item of items) this.resume(item);
  };
}
