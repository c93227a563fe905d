import { getEventListeners, once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { from } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import {
  CambErrorCodes,
  CambHttpError,
  CambSchemaError,
  CambTimeoutError,
  CambTransportError,
  TaskKinds,
  isCambError,
  isCambHttpError,
  isCambMergeError,
  isCambSchemaError,
  isCambTaskFailedError,
  isCambTimeoutError,
  isCambTransportError,
  isTerminalStatus,
  mergeTasks,
  taskStatus$,
  throwOnFailure,
  transcriptionStatus$,
  type FetchLike,
  type RetryEvent,
  type TaskStatus,
} from '../../src/index.js';
import type { Fault } from '../../src/testing/index.js';
import { collect, probeFetch, record, simOptions, sleep, statusRequests, useIntegrationHarness } from '../_helpers/integration-harness.js';
import { expectNoLeakedResources } from '../_helpers/leaks.js';

const { start, baseline } = useIntegrationHarness();

/** The fields of a status that the contract fixes (not `elapsedMs`, which is a duration). */
const shape = ({ elapsedMs: _elapsed, ...rest }: TaskStatus) => rest;

describe('status stream over real sockets: lifecycle', () => {
  it('PENDING, PENDING, SUCCESS with runId: poll numbering, done, completion, one request at a time', async () => {
    const sim = await start({ tasks: [{ id: 'task-1', pendingPolls: 2, outcome: { status: 'SUCCESS', runId: 42 } }] });
    const run = await collect(transcriptionStatus$('task-1', simOptions(sim)));

    expect(run.error).toBeUndefined();
    expect(run.completed).toBe(true);
    expect(run.values.map(shape)).toEqual([
      { taskId: 'task-1', kind: 'transcribe', status: 'PENDING', done: false, poll: 1 },
      { taskId: 'task-1', kind: 'transcribe', status: 'PENDING', done: false, poll: 2 },
      { taskId: 'task-1', kind: 'transcribe', status: 'SUCCESS', done: true, poll: 3, runId: 42 },
    ]);
    const elapsed = run.values.map((status) => status.elapsedMs);
    expect(elapsed).toEqual([...elapsed].sort((a, b) => a - b));

    const requests = statusRequests(sim);
    expect(requests).toHaveLength(3);
    for (const entry of requests) {
      expect(entry).toMatchObject({ method: 'GET', path: '/apis/transcribe/task-1', query: {}, hasValidKey: true, status: 200, kind: 'transcribe' });
      expect(entry.headers['accept']).toContain('application/json');
      expect(entry.headers).not.toHaveProperty('x-api-key');
    }
    // Each poll is sent after the previous answer was complete: never two at once.
    for (let i = 1; i < requests.length; i++) expect(requests[i]!.startedAt).toBeGreaterThanOrEqual(requests[i - 1]!.finishedAt!);
    expect(sim.stats.maxInFlight).toBe(1);
    expect(sim.task('task-1')).toMatchObject({ polls: 3, requests: 3, status: 'SUCCESS', runId: 42 });
  });

  it('reads every status body whole with text(), the simulator declaring its Content-Length (no stream reader), on both paths', async () => {
    const sim = await start({ tasks: [{ id: 'one', pendingPolls: 2 }, { id: 'many-1', pendingPolls: 1 }, { id: 'many-2', pendingPolls: 1 }] });
    const reads: { contentLength: string | null; text: number }[] = [];
    const watched: FetchLike = async (url, init) => {
      const response = await fetch(url, init);
      const read = { contentLength: response.headers.get('content-length'), text: 0 };
      reads.push(read);
      const text = response.text.bind(response);
      response.text = () => (read.text++, text());
      return response;
    };
    const one = await collect(transcriptionStatus$('one', simOptions(sim, { fetch: watched })));
    const many = await collect(from(['many-1', 'many-2']).pipe(mergeTasks(simOptions(sim, { fetch: watched }))));
    expect([one.values.length, many.values.length]).toEqual([3, 4]);
    expect(reads).toHaveLength(7);
    for (const read of reads) expect(read).toEqual({ contentLength: expect.stringMatching(/^[1-9]\d*$/), text: 1 });
  });

  it('is cold: nothing is sent before subscribe, and each subscription polls on its own', async () => {
    const sim = await start({ tasks: [{ id: 'cold', pendingPolls: 1 }] });
    const status$ = transcriptionStatus$('cold', simOptions(sim));
    await sleep(60);
    expect(sim.requests).toHaveLength(0);

    const [first, second] = await Promise.all([collect(status$), collect(status$)]);
    // The simulator's lifecycle is per task, not per client: between them the two subscriptions
    // read PENDING once and SUCCESS twice; each ends on SUCCESS on its own.
    expect(first.values.at(-1)).toMatchObject({ status: 'SUCCESS', done: true });
    expect(second.values.at(-1)).toMatchObject({ status: 'SUCCESS', done: true });
    expect(first.values.length + second.values.length).toBe(statusRequests(sim).length);
    expect(statusRequests(sim).length).toBe(3);
  });

  it.each([
    { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG', message: 'Audio over 2 h' },
    { status: 'ERROR', exceptionReason: 'PROCESSING_ERROR', message: { detail: 'decoder crashed', code: 7 } },
    { status: 'TIMEOUT' },
    { status: 'PAYMENT_REQUIRED', exceptionReason: 'PAYMENT_REQUIRED', message: 'Add credits' },
  ])('failure outcome $status ($exceptionReason) is data: emitted with its reason and message, then completion', async (outcome) => {
    const sim = await start({ tasks: [{ id: 'bad', pendingPolls: 1, outcome }] });
    const run = await collect(transcriptionStatus$('bad', simOptions(sim)));

    expect(run.error).toBeUndefined();
    expect(run.completed).toBe(true);
    expect(run.values.map(shape)).toEqual([
      { taskId: 'bad', kind: 'transcribe', status: 'PENDING', done: false, poll: 1 },
      { taskId: 'bad', kind: 'transcribe', done: true, poll: 2, ...outcome },
    ]);
    expect(run.values[1]).not.toHaveProperty('runId');
    expect(statusRequests(sim)).toHaveLength(2);

    // throwOnFailure() is what turns it into a stream error.
    const thrown = await collect(transcriptionStatus$('bad', simOptions(sim)).pipe(throwOnFailure()));
    expect(isCambTaskFailedError(thrown.error)).toBe(true);
    expect(thrown.error).toMatchObject({ code: CambErrorCodes.taskFailed, taskId: 'bad', status: outcome.status });
  });

  it('keeps an unknown status ("RUNNING") as it came and does not treat it as terminal', async () => {
    const sim = await start({ tasks: [{ id: 'run', statuses: ['PENDING', 'RUNNING', 'RUNNING', 'SUCCESS'], outcome: { status: 'SUCCESS', runId: 9 } }] });
    const run = await collect(transcriptionStatus$('run', simOptions(sim)));
    expect(run.values.map(({ status, done, poll }) => [status, done, poll])).toEqual([
      ['PENDING', false, 1],
      ['RUNNING', false, 2],
      ['RUNNING', false, 3],
      ['SUCCESS', true, 4],
    ]);
    expect(run.values.at(-1)?.runId).toBe(9);
    expect(run.completed).toBe(true);
    expect(statusRequests(sim)).toHaveLength(4);
  });

  it('ends at an unknown status when the caller\'s isTerminal says so', async () => {
    const sim = await start({ tasks: [{ id: 'run', statuses: ['PENDING', 'CANCELLED'], outcome: { status: 'SUCCESS' } }] });
    const isTerminal = (status: string) => isTerminalStatus(status) || status === 'CANCELLED';
    const run = await collect(transcriptionStatus$('run', simOptions(sim, { isTerminal })));
    expect(run.values.map(({ status, done }) => [status, done])).toEqual([
      ['PENDING', false],
      ['CANCELLED', true],
    ]);
    expect(run.completed).toBe(true);
    expect(statusRequests(sim)).toHaveLength(2);
  });

  it('ignores unknown extra fields and treats null fields as absent', async () => {
    const sim = await start({
      tasks: [
        {
          id: 'extra',
          faults: {
            1: { type: 'body', body: '{"status":"PENDING","run_id":null,"exception_reason":null,"message":null,"progress":0.5}' },
            2: { type: 'body', body: '{"status":"SUCCESS","run_id":77,"eta":{"s":1},"new_field":[1,2]}' },
          },
        },
      ],
    });
    const run = await collect(transcriptionStatus$('extra', simOptions(sim)));
    expect(run.values.map(shape)).toEqual([
      { taskId: 'extra', kind: 'transcribe', status: 'PENDING', done: false, poll: 1 },
      { taskId: 'extra', kind: 'transcribe', status: 'SUCCESS', done: true, poll: 2, runId: 77 },
    ]);
  });

  it('works for every task kind through taskStatus$ (GET /{kind}/{id}); another kind\'s id is a 404', async () => {
    const kinds = Object.values(TaskKinds);
    const sim = await start({ tasks: kinds.map((kind) => ({ id: `${kind}-1`, kind, pendingPolls: 1 })) });
    const runs = await Promise.all(kinds.map((kind) => collect(taskStatus$(kind, `${kind}-1`, simOptions(sim)))));

    runs.forEach((run, i) => {
      const kind = kinds[i]!;
      expect(run.error).toBeUndefined();
      expect(run.values.map(({ kind: k, taskId, status }) => [k, taskId, status])).toEqual([
        [kind, `${kind}-1`, 'PENDING'],
        [kind, `${kind}-1`, 'SUCCESS'],
      ]);
      expect(statusRequests(sim).filter((entry) => entry.path === `/apis/${kind}/${kind}-1`)).toHaveLength(2);
    });
    expect(statusRequests(sim)).toHaveLength(kinds.length * 2);

    const wrongKind = await collect(taskStatus$('dub', 'transcribe-1', simOptions(sim)));
    expect(isCambHttpError(wrongKind.error) && wrongKind.error.status).toBe(404);
  });
});

describe('status stream over real sockets: errors', () => {
  it('a wrong key is a CambHttpError 401 at once: exactly one request, no retry', async () => {
    const sim = await start({ tasks: [{ id: 't' }] });
    const onRetry = vi.fn();
    const run = await collect(transcriptionStatus$('t', simOptions(sim, { apiKey: 'not-the-key', retry: { maxRetries: 4, baseDelayMs: 5, onRetry } })));

    expect(run.error).toBeInstanceOf(CambHttpError);
    expect(run.error).toMatchObject({ status: 401, method: 'GET', code: CambErrorCodes.http, url: `${sim.url}/transcribe/t` });
    expect(run.values).toEqual([]);
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0]).toMatchObject({ hasValidKey: false, status: 401 });
    expect(onRetry).not.toHaveBeenCalled();
  });

  it('an unknown task is a CambHttpError 404 at once: exactly one request', async () => {
    const sim = await start();
    const run = await collect(transcriptionStatus$('nope', simOptions(sim)));
    expect(run.error).toBeInstanceOf(CambHttpError);
    expect(run.error).toMatchObject({ status: 404, url: `${sim.url}/transcribe/nope` });
    expect(statusRequests(sim)).toHaveLength(1);
  });

  it('notFoundGraceMs: 404s soon after subscription are polled again until the task appears', async () => {
    const sim = await start();
    const run = record(transcriptionStatus$('late', simOptions(sim, { notFoundGraceMs: 5000 })));
    await sim.waitForRequest((entry) => entry.seq >= 3 && entry.status === 404);
    sim.addTask({ id: 'late', pendingPolls: 1 });
    await run.done;

    expect(run.error).toBeUndefined();
    expect(run.values.map(({ status }) => status)).toEqual(['PENDING', 'SUCCESS']);
    const statuses = statusRequests(sim).map((entry) => entry.status);
    expect(statuses.slice(-2)).toEqual([200, 200]);
    expect(statuses.slice(0, -2).every((status) => status === 404)).toBe(true);
    expect(statuses.filter((status) => status === 404).length).toBeGreaterThanOrEqual(3);
  });

  it('notFoundGraceMs: after the grace, the 404 fails the stream', async () => {
    const sim = await start();
    const run = await collect(transcriptionStatus$('never', simOptions(sim, { notFoundGraceMs: 60 })));
    expect(isCambHttpError(run.error) && run.error.status).toBe(404);
    expect(statusRequests(sim).every((entry) => entry.status === 404)).toBe(true);
  });

  it('timeoutMs: CambTimeoutError carrying the last status; the request in flight at the deadline is aborted', async () => {
    // Read 1 answers PENDING, read 2 hangs until the deadline.
    const sim = await start({ tasks: [{ id: 'slow', outcome: { status: 'PENDING' }, faults: (n) => (n >= 2 ? { type: 'hang' } : undefined) }] });
    const run = record(transcriptionStatus$('slow', simOptions(sim, { timeoutMs: 400 })));
    const hanging = await sim.waitForRequest((entry) => entry.route === 'status' && entry.fault?.type === 'hang');
    await run.done;

    expect(run.error).toBeInstanceOf(CambTimeoutError);
    const error = run.error as CambTimeoutError;
    expect(isCambTimeoutError(error)).toBe(true);
    expect(error).toMatchObject({ code: CambErrorCodes.timeout, taskId: 'slow', timeoutMs: 400 });
    expect(run.values.map(shape)).toEqual([{ taskId: 'slow', kind: 'transcribe', status: 'PENDING', done: false, poll: 1 }]);
    expect(error.lastStatus).toEqual(run.values[0]);
    await sim.waitForClose(hanging);
    await sleep(100);
    expect(statusRequests(sim)).toHaveLength(2);
  });

  it('timeoutMs: retries never extend the deadline', async () => {
    const sim = await start({ tasks: [{ id: 'down', faults: () => ({ type: 'http', status: 503 }) }] });
    const probe = probeFetch();
    const retry = { maxRetries: 1000, baseDelayMs: 5, maxDelayMs: 10 };
    const run = await collect(transcriptionStatus$('down', simOptions(sim, { fetch: probe.fetch, timeoutMs: 200, retry })));
    const callsAtError = probe.calls.length;
    expect(run.error).toBeInstanceOf(CambTimeoutError);
    expect((run.error as CambTimeoutError).lastStatus).toBeUndefined();
    expect(callsAtError).toBeGreaterThan(1);
    // A retry sent just before the deadline may reach the server just after the error: count
    // what the client sent, and what the server saw once nothing is in flight any more.
    await sleep(80);
    expect(probe.calls).toHaveLength(callsAtError);
    expect(sim.stats.inFlight).toBe(0);
    expect(statusRequests(sim)).toHaveLength(callsAtError);
  });

  const schemaCases: { name: string; fault: Fault; maxBodyBytes?: number; check: (error: CambSchemaError) => void }[] = [
    {
      name: 'malformed JSON',
      fault: { type: 'malformed-json' },
      check: (error) => {
        expect(error.message).toMatch(/not JSON/);
        expect(error.issues).toEqual([]);
        expect(error.bodyExcerpt).toMatch(/^\{"status": "PENDING"/);
      },
    },
    {
      name: 'an HTML page with status 200',
      fault: { type: 'body', status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>' },
      check: (error) => {
        expect(error.message).toMatch(/not JSON/);
        expect(error.bodyExcerpt).toContain('Welcome to nginx!');
      },
    },
    {
      name: 'a body over maxBodyBytes',
      fault: { type: 'oversize', bytes: 64 * 1024 },
      maxBodyBytes: 16 * 1024,
      check: (error) => {
        expect(error.message).toMatch(/maxBodyBytes/);
        expect(error.bodyExcerpt.length).toBeLessThanOrEqual(400);
      },
    },
    {
      name: 'a body over the default cap of 1 MiB',
      fault: { type: 'oversize', bytes: 1_048_576 + 4096 },
      check: (error) => expect(error.message).toMatch(/1048576 bytes.*maxBodyBytes/),
    },
    {
      name: 'status of the wrong type',
      fault: { type: 'body', body: '{"status": 5}' },
      check: (error) => expect(error.issues.map((issue) => issue.path)).toEqual([['status']]),
    },
    {
      name: 'run_id of the wrong type',
      fault: { type: 'body', body: '{"status": "SUCCESS", "run_id": "abc"}' },
      check: (error) => expect(error.issues.map((issue) => issue.path)).toEqual([['run_id']]),
    },
    {
      name: 'no status at all',
      fault: { type: 'body', body: '{"state": "done"}' },
      check: (error) => expect(error.issues.map((issue) => issue.path)).toEqual([['status']]),
    },
    {
      name: 'a JSON array',
      fault: { type: 'body', body: '[{"status": "SUCCESS"}]' },
      check: (error) => expect(error.issues.length).toBeGreaterThan(0),
    },
  ];

  it.each(schemaCases)('$name is a CambSchemaError, not retried: exactly one request', async ({ fault, maxBodyBytes, check }) => {
    const sim = await start({ tasks: [{ id: 's', faults: { 1: fault } }] });
    const run = await collect(transcriptionStatus$('s', simOptions(sim, maxBodyBytes === undefined ? {} : { maxBodyBytes })));
    expect(run.error).toBeInstanceOf(CambSchemaError);
    const error = run.error as CambSchemaError;
    expect(isCambSchemaError(error)).toBe(true);
    expect(error).toMatchObject({ code: CambErrorCodes.schema, url: `${sim.url}/transcribe/s` });
    check(error);
    expect(run.values).toEqual([]);
    expect(statusRequests(sim)).toHaveLength(1);
  });

  it('wrong-content-type with a valid JSON body is parsed normally (lenient on Content-Type)', async () => {
    const sim = await start({ tasks: [{ id: 'plain', outcome: { status: 'SUCCESS', runId: 5 }, faults: { 1: { type: 'wrong-content-type' } } }] });
    const run = await collect(transcriptionStatus$('plain', simOptions(sim)));
    expect(run.error).toBeUndefined();
    expect(run.values.map(shape)).toEqual([{ taskId: 'plain', kind: 'transcribe', status: 'SUCCESS', done: true, poll: 1, runId: 5 }]);
    expect(statusRequests(sim)).toHaveLength(1);
  });
});

describe('status stream over real sockets: ids, URLs and the key', () => {
  it.each(['../x', 'a/b', '..', '.', '', 'a b', 'a\\b', 'tab\there', 'nl\n', 'x'.repeat(257)])(
    'task id %j throws TypeError at call time and the server sees no request',
    async (id) => {
      const sim = await start({ tasks: [{ id: 'x' }] });
      expect(() => transcriptionStatus$(id, simOptions(sim))).toThrow(TypeError);
      expect(() => taskStatus$('dub', id, simOptions(sim))).toThrow(TypeError);
      await sleep(30);
      expect(sim.requests).toHaveLength(0);
    },
  );

  it.each(['a?b=1', 'c#frag', 'd%2Fe', '100%', 'q?x#y%z&w=1', 'ünï-çødé', "it's+a=plus"])(
    'task id %j reaches the server as exactly that id, in the path',
    async (id) => {
      const sim = await start({ tasks: [{ id, outcome: { status: 'SUCCESS', runId: 3 } }] });
      const run = await collect(transcriptionStatus$(id, simOptions(sim)));
      expect(run.error).toBeUndefined();
      expect(run.values.map(shape)).toEqual([{ taskId: id, kind: 'transcribe', status: 'SUCCESS', done: true, poll: 1, runId: 3 }]);
      const [entry, ...rest] = statusRequests(sim);
      expect(rest).toEqual([]);
      expect(entry).toMatchObject({ taskId: id, query: {}, status: 200, path: `/apis/transcribe/${encodeURIComponent(id)}` });
      expect(sim.task(id).polls).toBe(1);
    },
  );

  it.each(['http://example.com/apis', 'http://10.0.0.8/apis', 'http://127.0.0.1.nip.io/apis', 'http://localhost.example.com/apis'])(
    'http:// to a non-loopback host (%s) is refused with a TypeError at call time',
    (baseUrl) => {
      expect(() => transcriptionStatus$('t', { apiKey: 'secret-key-1', baseUrl })).toThrow(TypeError);
      expect(() => transcriptionStatus$('t', { apiKey: 'secret-key-1', baseUrl })).toThrow(/refusing plain http/);
      expect(() => transcriptionStatus$('t', { apiKey: 'secret-key-1', baseUrl })).not.toThrow(/secret-key-1/);
      // allowInsecureHttp is the explicit way out; loopback is always allowed.
      expect(() => transcriptionStatus$('t', { apiKey: 'secret-key-1', baseUrl, allowInsecureHttp: true })).not.toThrow();
      expect(() => transcriptionStatus$('t', { apiKey: 'secret-key-1', baseUrl: 'http://127.0.0.1:9/apis' })).not.toThrow();
      expect(() => transcriptionStatus$('t', { apiKey: 'secret-key-1', baseUrl: 'http://localhost:9/apis' })).not.toThrow();
    },
  );

  it('the API key never appears in any error (message, String, JSON, inspect, stack, cause) nor in the simulator log', async () => {
    const key = 'sk-live-SECRET-4242-xyzzy';
    const wrongKey = 'sk-live-WRONG-9999-plugh';
    const sim = await start({
      apiKey: key,
      tasks: [
        { id: 'ok', pendingPolls: 1 },
        { id: 'fail', pendingPolls: 0, outcome: { status: 'ERROR', exceptionReason: 'PROCESSING_ERROR', message: 'boom' } },
        { id: 'down', faults: () => ({ type: 'http', status: 503 }) },
        { id: 'reset', faults: { 1: { type: 'reset-before-headers' } } },
        { id: 'hang', faults: { 1: { type: 'hang' } } },
        { id: 'broken', faults: { 1: { type: 'malformed-json' } } },
        { id: 'slow', outcome: { status: 'PENDING' } },
        { id: 'busy', faults: { 1: { type: 'http', status: 429, retryAfter: 3600 } } },
        { id: 'cut', faults: { 1: { type: 'reset-mid-body' } } },
      ],
    });
    const base = simOptions(sim, { retry: { maxRetries: 1, baseDelayMs: 5, maxDelayMs: 10 } });
    const runs = await Promise.all([
      collect(transcriptionStatus$('ok', { ...base, apiKey: wrongKey })),
      collect(transcriptionStatus$('missing', base)),
      collect(transcriptionStatus$('down', base)),
      collect(transcriptionStatus$('reset', { ...base, retry: false })),
      collect(transcriptionStatus$('cut', { ...base, retry: false })),
      collect(transcriptionStatus$('hang', { ...base, retry: false, requestTimeoutMs: 100 })),
      collect(transcriptionStatus$('broken', base)),
      collect(transcriptionStatus$('slow', { ...base, timeoutMs: 150 })),
      collect(transcriptionStatus$('busy', base)),
      collect(transcriptionStatus$('fail', base).pipe(throwOnFailure())),
      collect(from(['missing-2', 'ok']).pipe(mergeTasks({ ...base }))),
    ]);
    const errors = runs.map((run) => run.error);
    expect(errors.map((error) => (error as Error)?.name)).toEqual([
      'CambHttpError',
      'CambHttpError',
      'CambHttpError',
      'CambTransportError',
      'CambTransportError',
      'CambTransportError',
      'CambSchemaError',
      'CambTimeoutError',
      'CambHttpError',
      'CambTaskFailedError',
      'CambMergeError',
    ]);
    expect(errors.every(isCambError)).toBe(true);
    expect(isCambMergeError(errors.at(-1))).toBe(true);

    for (const error of errors) {
      const renderings = [
        (error as Error).message,
        String(error),
        JSON.stringify(error),
        inspect(error, { depth: 8, showHidden: true }),
        (error as Error).stack ?? '',
        inspect((error as Error).cause, { depth: 8, showHidden: true }),
      ];
      for (const text of renderings) {
        expect(text).not.toContain(key);
        expect(text).not.toContain(wrongKey);
      }
    }
    const statuses = JSON.stringify(runs.flatMap((run) => run.values));
    expect(statuses).not.toContain(key);
    const log = JSON.stringify(sim.requests) + inspect(sim.requests, { depth: 8 }) + JSON.stringify(sim) + String(sim);
    expect(log).not.toContain(key);
    expect(log).not.toContain(wrongKey);
  });
});

describe('status stream over real sockets: redirects', () => {
  it('a redirect to another origin never carries the API key there', async () => {
    // Another origin: same loopback host, another port. It records what reaches it.
    const received: IncomingHttpHeaders[] = [];
    const other = createServer((req, res) => {
      received.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"SUCCESS","run_id":666}');
    });
    other.listen(0, '127.0.0.1');
    await once(other, 'listening');
    try {
      const elsewhere = `http://127.0.0.1:${(other.address() as AddressInfo).port}/collect`;
      const key = 'sk-live-REDIRECT-5150';
      const sim = await start({ apiKey: key, tasks: [{ id: 'moved', faults: { 1: { type: 'http', status: 302, headers: { location: elsewhere } } } }] });
      const run = await collect(transcriptionStatus$('moved', simOptions(sim)));

      expect(received.map((headers) => headers['x-api-key'])).not.toContain(key);
      // Whatever the stream makes of the redirect, it does not take the other origin's word as CAMB's.
      expect(run.values.map((status) => status.runId)).not.toContain(666);
    } finally {
      other.closeAllConnections();
      other.close();
      await once(other, 'close');
    }
  });
});

describe('status stream over real sockets: cancellation reaches the wire', () => {
  it('unsubscribing while a request hangs closes the connection, and nothing is sent after', async () => {
    const sim = await start({ tasks: [{ id: 'h', faults: { 1: { type: 'hang' } } }] });
    const run = record(transcriptionStatus$('h', simOptions(sim)));
    const entry = await sim.waitForRequest((e) => e.route === 'status');
    expect(entry.finishedAt).toBeUndefined();

    run.subscription.unsubscribe();
    const closed = await sim.waitForClose(entry);
    expect(closed).toMatchObject({ closedByClient: true });
    expect(closed.status).toBeUndefined();

    // No timer of the stream is left, even with the server still up...
    await expectNoLeakedResources(baseline(), { types: ['Timeout', 'Immediate'], timeoutMs: 0 });
    await sleep(120); // six intervals
    expect(sim.requests).toHaveLength(1);
    expect(run.ended).toBe(false);
    expect(run.values).toEqual([]);
    // ...and the harness checks, after closing the simulator, that no socket is left either.
  });

  it('aborting the signal while a request hangs errors with the AbortError reason and closes the connection', async () => {
    const sim = await start({ tasks: [{ id: 'h', faults: { 1: { type: 'hang' } } }] });
    const controller = new AbortController();
    const run = record(transcriptionStatus$('h', simOptions(sim, { signal: controller.signal })));
    const entry = await sim.waitForRequest((e) => e.route === 'status');
    expect(getEventListeners(controller.signal, 'abort').length).toBeGreaterThan(0);

    controller.abort();
    await run.done;
    expect(run.error).toBe(controller.signal.reason);
    expect((run.error as Error).name).toBe('AbortError');
    await sim.waitForClose(entry);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);

    await expectNoLeakedResources(baseline(), { types: ['Timeout', 'Immediate'], timeoutMs: 0 });
    await sleep(120);
    expect(sim.requests).toHaveLength(1);
  });

  it('aborting with a custom reason errors with that reason', async () => {
    const sim = await start({ tasks: [{ id: 'h', faults: { 1: { type: 'hang' } } }] });
    const controller = new AbortController();
    const run = record(transcriptionStatus$('h', simOptions(sim, { signal: controller.signal })));
    const entry = await sim.waitForRequest((e) => e.route === 'status');
    const reason = new Error('user navigated away');
    controller.abort(reason);
    await run.done;
    expect(run.error).toBe(reason);
    await sim.waitForClose(entry);
  });

  it('an already-aborted signal sends nothing at all', async () => {
    const sim = await start({ tasks: [{ id: 't' }] });
    const signal = AbortSignal.abort();
    const run = await collect(transcriptionStatus$('t', simOptions(sim, { signal })));
    expect(run.error).toBe(signal.reason);
    expect(run.values).toEqual([]);
    await sleep(100);
    expect(sim.requests).toHaveLength(0);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('the signal\'s listener is removed when the stream completes normally', async () => {
    const sim = await start({ tasks: [{ id: 't', pendingPolls: 1 }] });
    const controller = new AbortController();
    const run = await collect(transcriptionStatus$('t', simOptions(sim, { signal: controller.signal })));
    expect(run.completed).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort();
    await sleep(60);
    expect(statusRequests(sim)).toHaveLength(2);
  });

  it('unsubscribing while waiting between polls sends no further request and leaves no timer', async () => {
    const sim = await start({ tasks: [{ id: 'p', pendingPolls: 10 }] });
    const run = record(transcriptionStatus$('p', simOptions(sim, { interval: 80, minIntervalMs: 0 })));
    const answered = await sim.waitForRequest((e) => e.route === 'status' && e.finishedAt !== undefined);
    expect(answered.status).toBe(200);
    await vi.waitFor(() => expect(run.values).toHaveLength(1), { timeout: 2000, interval: 2 });

    run.subscription.unsubscribe();
    await expectNoLeakedResources(baseline(), { types: ['Timeout', 'Immediate'], timeoutMs: 0 });
    await sleep(250); // three intervals
    expect(sim.requests).toHaveLength(1);
    expect(sim.task('p').polls).toBe(1);
  });

  it('requestTimeoutMs with a hanging request: CambTransportError failure "timeout" (retry: false), connection closed', async () => {
    const sim = await start({ tasks: [{ id: 'h', faults: { 1: { type: 'hang' } } }] });
    const run = record(transcriptionStatus$('h', simOptions(sim, { requestTimeoutMs: 100, retry: false })));
    const entry = await sim.waitForRequest((e) => e.route === 'status');
    await run.done;

    expect(run.error).toBeInstanceOf(CambTransportError);
    expect(isCambTransportError(run.error)).toBe(true);
    expect(run.error).toMatchObject({ failure: 'timeout', method: 'GET', url: `${sim.url}/transcribe/h`, code: CambErrorCodes.transport });
    expect((run.error as Error).message).toMatch(/timed out/i);
    await sim.waitForClose(entry);
    await sleep(60);
    expect(sim.requests).toHaveLength(1);
  });
});

describe('status stream over real sockets: the fetch fallback', () => {
  it('without a global fetch, cross-fetch is loaded lazily and the stream still works', async () => {
    const sim = await start({ tasks: [{ id: 'x', pendingPolls: 1, outcome: { status: 'SUCCESS', runId: 11 } }] });
    const onRetry = vi.fn<(event: RetryEvent) => void>();
    vi.stubGlobal('fetch', undefined);
    let run;
    try {
      expect(typeof globalThis.fetch).toBe('undefined');
      run = await collect(transcriptionStatus$('x', simOptions(sim, { retry: { maxRetries: 2, baseDelayMs: 5, onRetry } })));
    } finally {
      vi.unstubAllGlobals();
    }
    expect(typeof globalThis.fetch).toBe('function');

    // The requests really went through cross-fetch (node-fetch in Node), not a global fetch.
    expect(statusRequests(sim).length).toBeGreaterThan(0);
    for (const entry of statusRequests(sim)) expect(entry.headers['user-agent']).toMatch(/node-fetch/);

    expect(run.error).toBeUndefined();
    expect(onRetry.mock.calls.map(([event]) => String(event.error))).toEqual([]);
    expect(run.values.map(({ status, poll }) => [status, poll])).toEqual([
      ['PENDING', 1],
      ['SUCCESS', 2],
    ]);
    expect(run.values.at(-1)?.runId).toBe(11);
    expect(statusRequests(sim)).toHaveLength(2);
  });
});
