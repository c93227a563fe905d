import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { transcriptionStatus$, type PollOptions } from '../../src/index.js';
import { fakePage } from '../_helpers/fake-page.js';
import { stubFetch } from '../_helpers/stub-fetch.js';

const options = (fetch: ReturnType<typeof stubFetch>, more: Partial<PollOptions> = {}): PollOptions => ({ apiKey: 'k', baseUrl: 'https://client.camb.ai/apis', fetch, retry: false, interval: 1000, ...more });

beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  vi.unstubAllGlobals();
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

describe('pauseWhenHidden', () => {
  it('holds reads while the page is hidden and reads at once when it is shown; unsubscribing removes the listener', async () => {
    const page = fakePage('hidden');
    vi.stubGlobal('document', page);
    const fetch = stubFetch({ status: 'PENDING' });
    const subscription = transcriptionStatus$('t', options(fetch)).subscribe();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetch.calls).toHaveLength(0);
    expect(page.listeners).toBe(1);
    page.visibilityState = 'visible';
    page.dispatchEvent(new Event('visibilitychange'));
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.calls).toHaveLength(1);
    expect(page.listeners).toBe(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch.calls).toHaveLength(2);
    page.visibilityState = 'hidden';
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetch.calls).toHaveLength(2);
    subscription.unsubscribe();
    expect(page.listeners).toBe(0);
  });

  it('can be turned off, and must be a boolean', async () => {
    vi.stubGlobal('document', fakePage('hidden'));
    const fetch = stubFetch({ status: 'SUCCESS', run_id: 1 });
    transcriptionStatus$('t', options(fetch, { pauseWhenHidden: false })).subscribe();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.calls).toHaveLength(1);
    expect(() => transcriptionStatus$('t', options(fetch, { pauseWhenHidden: 'yes' as never }))).toThrow(/pauseWhenHidden/);
  });
});

describe('offline', () => {
  it('waits for `online` while navigator.onLine is false instead of sending (and spending a retry)', async () => {
    const window = fakePage('visible');
    vi.stubGlobal('navigator', { onLine: false });
    vi.stubGlobal('addEventListener', window.addEventListener);
    vi.stubGlobal('removeEventListener', window.removeEventListener);
    const fetch = stubFetch({ status: 'PENDING' }, { status: 'SUCCESS', run_id: 1 });
    const errors: unknown[] = [];
    let complete = false;
    transcriptionStatus$('t', options(fetch, { retry: 1 })).subscribe({ error: (e) => errors.push(e), complete: () => (complete = true) });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fetch.calls).toHaveLength(0);
    expect(errors).toEqual([]);
    vi.stubGlobal('navigator', { onLine: true });
    window.dispatchEvent(new Event('online'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch.calls).toHaveLength(2);
    expect(complete).toBe(true);
    expect(window.listeners).toBe(0);
  });
});
