import { describe, expect, it } from 'vitest';
import { startCambSimulator, type CambSimulatorOptions, type Fault } from '../../src/testing/index.js';
import { useSimulators } from '../_helpers/simulator-harness.js';

const start = useSimulators();

describe('startCambSimulator options', () => {
  const bad: Array<[string, unknown, RegExp]> = [
    ['a non-object', 5, /options must be an object/],
    ['another host', { host: 'localhost' }, /only binds to 127\.0\.0\.1/],
    ['a bad port', { port: 70_000 }, /port must be an integer from 0 to 65535/],
    ['a negative latency', { latencyMs: -1 }, /latencyMs/],
    ['an unknown option', { apikey: 'x' }, /unknown property "apikey"/],
    ['tasks not an array', { tasks: {} }, /tasks must be an array/],
    ['two lifecycles', { tasks: [{ pendingPolls: 1, pendingMs: 5 }] }, /only one of pendingPolls, pendingMs and statuses/],
    ['empty statuses', { tasks: [{ statuses: [] }] }, /tasks\[0\]\.statuses must be a non-empty array/],
    ['an unknown kind', { tasks: [{ kind: 'podcast' }] }, /tasks\[0\]\.kind must be one of/],
    ['a bad run id', { tasks: [{ outcome: { status: 'SUCCESS', runId: 1.5 } }] }, /runId/],
    ['a bad result shape', { tasks: [{ resultShape: 'list' }] }, /resultShape/],
    ['faults as an array', { tasks: [{ faults: [{ type: 'hang' }] }] }, /1-based request number/],
    ['a bad fault key', { tasks: [{ faults: { 0: { type: 'hang' } } }] }, /1-based request number/],
    ['a bad fault', { tasks: [{ faults: { 1: { type: 'http', status: 99 } } }] }, /tasks\[0\]\.faults\[1\]\.status/],
    ['duplicate task ids', { tasks: [{ id: 'a' }, { id: 'a' }] }, /already exists/],
    ['duplicate run ids', { tasks: [{ outcome: { status: 'SUCCESS', runId: 3 } }, { outcome: { status: 'SUCCESS', runId: 3 } }] }, /run id 3/],
    ['a run id in createdTask', { createdTask: { outcome: { status: 'SUCCESS', runId: 3 } } }, /createdTask\.outcome has an unknown property "runId"/],
    ['an id in createdTask', { createdTask: { id: 'x' } }, /createdTask has an unknown property "id"/],
    ['a random rate over 1', { randomFaults: { rate: 2, faults: [{ type: 'hang' }] } }, /rate must be from 0 to 1/],
    ['no random faults', { randomFaults: { rate: 0.5, faults: [] } }, /non-empty array/],
  ];

  for (const [what, options, message] of bad) {
    it(`throws a TypeError at call time for ${what}`, () => {
      expect(() => startCambSimulator(options as CambSimulatorOptions)).toThrow(TypeError);
      expect(() => startCambSimulator(options as CambSimulatorOptions)).toThrow(message);
    });
  }

  it('refuses a bad API key without quoting it', () => {
    for (const apiKey of ['', 'has a space', 'line\nbreak', 42]) {
      let error: unknown;
      try {
        void startCambSimulator({ apiKey } as CambSimulatorOptions);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toMatch(/^apiKey must be/);
      if (typeof apiKey === 'string' && apiKey !== '') expect((error as Error).message).not.toContain(apiKey);
    }
  });

  it('treats explicit undefined as "use the default"', async () => {
    const simulator = await start({ apiKey: undefined, port: undefined, latencyMs: undefined, tasks: undefined } as unknown as CambSimulatorOptions);
    expect(simulator.apiKey).toBe('sim-key');
    expect(simulator.tasks).toEqual([]);
  });

  it('rejects when the port is taken', async () => {
    const simulator = await start();
    await expect(startCambSimulator({ port: simulator.port })).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('simulator methods', () => {
  it('addTask returns the id and validates the task', async () => {
    const simulator = await start();
    expect(simulator.addTask({ id: 'mine' })).toBe('mine');
    expect(() => simulator.addTask({ id: 'mine' })).toThrow(/already exists/);
    expect(() => simulator.addTask({ pendingPolls: -1 })).toThrow(TypeError);
    expect(simulator.tasks).toHaveLength(1);
  });

  it('task() throws for an unknown id', async () => {
    const simulator = await start();
    expect(() => simulator.task('nope')).toThrow(/no task with id "nope"/);
  });

  it('injectFault validates the fault and its options', async () => {
    const simulator = await start();
    const cases: Array<[unknown, unknown, RegExp]> = [
      [{ type: 'boom' }, undefined, /fault\.type must be one of/],
      [{ type: 'delay' }, undefined, /fault\.ms/],
      [{ type: 'drip', bytesPerChunk: 0 }, undefined, /bytesPerChunk/],
      [{ type: 'oversize', bytes: -1 }, undefined, /bytes/],
      [{ type: 'html-error', status: 200 }, undefined, /status must be an integer from 400 to 599/],
      [{ type: 'http', status: 429, retryAfter: new Date('nope') }, undefined, /valid Date/],
      [{ type: 'http', status: 500, headers: { 'bad header': 'x' } }, undefined, /invalid header name/],
      [{ type: 'body', body: 5 }, undefined, /fault\.body must be a string/],
      [{ type: 'hang', extra: 1 }, undefined, /unknown property "extra"/],
      [{ type: 'hang' }, { times: 0 }, /times/],
      [{ type: 'hang' }, { path: 5 }, /path must be a string or a RegExp/],
    ];
    for (const [fault, options, message] of cases) {
      expect(() => simulator.injectFault(fault as Fault, options as never), JSON.stringify(fault)).toThrow(message);
    }
  });
});
