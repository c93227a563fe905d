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

// Holding reads while hidden and waiting for `online` are in test/conformance/status-paths.test.ts,
// which runs them on the single-task stream and on the engine; this is the option itself.
describe('pauseWhenHidden', () => {
  it('can be turned off, and must be a boolean', async () => {
    vi.stubGlobal('document', fakePage('hidden'));
    const fetch = stubFetch({ status: 'SUCCESS', run_id: 1 });
    transcriptionStatus$('t', options(fetch, { pauseWhenHidden: false })).subscribe();
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch.calls).toHaveLength(1);
    expect(() => transcriptionStatus$('t', options(fetch, { pauseWhenHidden: 'yes' as never }))).toThrow(/pauseWhenHidden/);
  });
});
