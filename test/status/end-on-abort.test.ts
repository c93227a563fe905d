import { NEVER, Subject } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { endOnAbort } from '../../src/status/end-on-abort.js';

describe('endOnAbort', () => {
  it('fails with the reason of an already-aborted signal without subscribing to the source', () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    const subscribe = vi.fn();
    const source = new Subject<number>();
    source.subscribe = subscribe as never;
    const error = vi.fn();
    source.pipe(endOnAbort(controller.signal)).subscribe({ error });
    expect(subscribe).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledWith(controller.signal.reason);
  });

  it('fails with the reason when the signal aborts, tears the source down and removes its listener', () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    const source = new Subject<number>();
    const values: number[] = [];
    let failure: unknown;
    source.pipe(endOnAbort(controller.signal)).subscribe({ next: (v) => values.push(v), error: (e) => (failure = e) });
    source.next(1);
    controller.abort();
    source.next(2);
    expect(values).toEqual([1]);
    expect((failure as DOMException).name).toBe('AbortError');
    expect(source.observed).toBe(false);
    expect(remove).toHaveBeenCalledWith('abort', expect.any(Function));
  });

  it('removes its listener when the subscriber unsubscribes first', () => {
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    NEVER.pipe(endOnAbort(controller.signal)).subscribe().unsubscribe();
    expect(remove.mock.calls[0]?.[1]).toBe(add.mock.calls[0]?.[1]);
  });
});
