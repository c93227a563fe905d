// @vitest-environment node
import '@angular/compiler'; // first: JIT for Angular's partially compiled packages (see angular-app.ts)
import { provideHttpClient, withFetch } from '@angular/common/http';
import { createEnvironmentInjector, type Signal } from '@angular/core';
import { isCambHttpError } from 'camb-rx';
import { describe, expect, it } from 'vitest';
import { provideCambClient } from '../../examples/angular/camb.providers.js';
import { injectTranscriptionStatus, type TranscriptionState } from '../../examples/angular/transcription-status.js';
import { useSimulators } from '../_helpers/simulator-harness.js';
import { readUntil, sleep, useAngularApps } from './angular-app.js';

const boot = useAngularApps();
const startSimulator = useSimulators();
const fast = { interval: 40, minIntervalMs: 0 } as const;

/** The statuses read so far, e.g. `['PENDING', 'PENDING', 'SUCCESS']`. */
const statusesOf = (values: TranscriptionState[]) => values.flatMap((v) => ('status' in v ? [v.status.status] : []));

describe('the Angular example: injectTranscriptionStatus over HttpClient (withFetch) and real sockets', () => {
  it('shows each status as it is read, until SUCCESS with its run id', async () => {
    const simulator = await startSimulator({ tasks: [{ id: 'task-ok', pendingPolls: 2, outcome: { status: 'SUCCESS', runId: 4242 } }] });
    const app = boot([provideHttpClient(withFetch()), provideCambClient({ apiKey: simulator.apiKey, baseUrl: simulator.url })]);

    const status = app.runInContext(() => injectTranscriptionStatus('task-ok', fast));
    const values = await readUntil(status, (s) => s.phase !== 'waiting' && s.phase !== 'polling');

    expect(values[0]).toEqual({ phase: 'waiting' });
    expect(values.slice(1).every((v) => v.phase === 'polling' || v.phase === 'done')).toBe(true);
    expect(statusesOf(values)).toEqual(['PENDING', 'PENDING', 'SUCCESS']);
    expect(values.at(-1)).toMatchObject({ phase: 'done', status: { taskId: 'task-ok', status: 'SUCCESS', done: true, runId: 4242, poll: 3 } });
    expect(simulator.task('task-ok').polls).toBe(3);
    const polls = simulator.requests.filter((e) => e.route === 'status');
    expect(polls.map((e) => e.headers['accept'])).toEqual(['application/json', 'application/json', 'application/json']);
  });

  it('stops polling and closes the request in flight when the injector is destroyed', async () => {
    // Never finishes; the second status request hangs, so it is in flight when the "component" goes.
    const simulator = await startSimulator({ tasks: [{ id: 'task-slow', outcome: { status: 'PENDING' }, faults: { 2: { type: 'hang' } } }] });
    const app = boot([provideHttpClient(withFetch()), provideCambClient({ apiKey: simulator.apiKey, baseUrl: simulator.url })]);
    const component = createEnvironmentInjector([], app, 'component'); // a child scope, as a component's is

    const status = component.runInContext(() => injectTranscriptionStatus('task-slow', fast));
    const inFlight = await simulator.waitForRequest((e) => e.route === 'status' && e.fault?.type === 'hang');
    expect(status()).toMatchObject({ phase: 'polling', status: { status: 'PENDING', poll: 1 } });

    component.destroy();
    await simulator.waitForClose(inFlight, 2000);
    const seen = simulator.requests.length;
    await sleep(fast.interval * 5);

    expect(simulator.requests.length).toBe(seen);
    expect(simulator.task('task-slow').requests).toBe(2);
    expect(status()).toMatchObject({ phase: 'polling', status: { poll: 1 } }); // the last value, still readable
  });

  it('holds a 401 as an error state: reading the signal does not throw', async () => {
    const simulator = await startSimulator({ tasks: [{ id: 'task-ok' }] });
    const app = boot([provideHttpClient(withFetch()), provideCambClient({ apiKey: 'not-the-key', baseUrl: simulator.url })]);

    const status: Signal<TranscriptionState> = app.runInContext(() => injectTranscriptionStatus('task-ok', fast));
    const values = await readUntil(status, (s) => s.phase === 'error');

    const last = values.at(-1);
    expect(last?.phase).toBe('error');
    if (last?.phase !== 'error') return;
    expect(isCambHttpError(last.error) && last.error.status).toBe(401);
    expect(last.message).toContain('401');
    expect(last.message).not.toContain('not-the-key');
    expect(() => status()).not.toThrow();
    expect(simulator.requests.filter((e) => e.route === 'status')).toHaveLength(1); // 401 fails fast
  });

  it('sends nothing on the server', async () => {
    const simulator = await startSimulator({ tasks: [{ id: 'task-ok' }] });
    const app = boot([provideHttpClient(withFetch()), provideCambClient({ apiKey: simulator.apiKey, baseUrl: simulator.url })], 'server');

    const status = app.runInContext(() => injectTranscriptionStatus('task-ok', fast));
    await sleep(fast.interval * 3);

    expect(status()).toEqual({ phase: 'waiting' });
    expect(simulator.requests).toHaveLength(0);
  });
});
