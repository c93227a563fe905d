import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TaskKinds } from '../../src/wire/task-kind.js';
import { readStatuses, simFetch, useSimulators } from '../_helpers/simulator-harness.js';

const start = useSimulators();

describe('startCambSimulator: status endpoint', () => {
  it('listens on 127.0.0.1 under /apis', async () => {
    const simulator = await start();
    expect(simulator.url).toBe(`http://127.0.0.1:${simulator.port}/apis`);
    expect(simulator.port).toBeGreaterThan(0);
    expect(simulator.apiKey).toBe('sim-key');
  });

  it('answers GET /{kind}/{task_id} for every task kind with the four status fields', async () => {
    const simulator = await start();
    for (const kind of Object.values(TaskKinds)) {
      const id = simulator.addTask({ kind, outcome: { status: 'SUCCESS', runId: 500 + Object.values(TaskKinds).indexOf(kind) } });
      const res = await simFetch(simulator, `/${kind}/${id}`);
      expect(res.status, kind).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      expect(await res.json()).toEqual({
        status: 'SUCCESS',
        run_id: 500 + Object.values(TaskKinds).indexOf(kind),
        exception_reason: null,
        message: null,
      });
    }
  });

  it('answers 404 with a detail for an unknown task, a task of another kind and an unknown kind', async () => {
    const simulator = await start({ tasks: [{ id: 'dub-1', kind: 'dub' }] });
    for (const path of ['/transcribe/nope', '/transcribe/dub-1', '/podcast/dub-1']) {
      const res = await simFetch(simulator, path);
      expect(res.status, path).toBe(404);
      expect(typeof ((await res.json()) as { detail: unknown }).detail).toBe('string');
    }
    expect((await simFetch(simulator, '/dub/dub-1')).status).toBe(200);
    expect(simulator.task('dub-1').requests).toBe(1);
  });

  it('answers 404 for unknown paths and 405 for a wrong method', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    for (const path of ['', '/', '/transcribe/t/extra', '/transcription-result', '/nothing']) {
      expect((await simFetch(simulator, path)).status, path).toBe(404);
    }
    expect((await fetch(`http://127.0.0.1:${simulator.port}/elsewhere`, { headers: { 'x-api-key': 'sim-key' } })).status).toBe(404);
    const wrongMethod = await simFetch(simulator, '/transcribe/t', { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, OPTIONS');
    expect((await simFetch(simulator, '/transcribe')).status).toBe(405);
  });

  it('decodes URL-encoded task ids', async () => {
    const simulator = await start({ tasks: [{ id: 'a b/c' }] });
    const res = await simFetch(simulator, `/transcribe/${encodeURIComponent('a b/c')}`);
    expect(res.status).toBe(200);
    expect(simulator.requests[0]?.taskId).toBe('a b/c');
  });
});

describe('startCambSimulator: API key', () => {
  it('answers 401 {"detail":"Invalid API key"} to a missing or wrong key', async () => {
    const simulator = await start({ apiKey: 'secret-123', tasks: [{ id: 't' }] });
    const missing = await fetch(`${simulator.url}/transcribe/t`);
    const wrong = await fetch(`${simulator.url}/transcribe/t`, { headers: { 'x-api-key': 'secret-124' } });
    for (const res of [missing, wrong]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ detail: 'Invalid API key' });
    }
    expect(simulator.requests.map((entry) => entry.hasValidKey)).toEqual([false, false]);
    expect(simulator.task('t')).toMatchObject({ requests: 0, polls: 0 });
    expect((await simFetch(simulator, '/transcribe/t')).status).toBe(200);
    expect(simulator.requests[2]?.hasValidKey).toBe(true);
  });

  it('checks the key before routing, so an unknown path without a key is 401', async () => {
    const simulator = await start();
    expect((await fetch(`${simulator.url}/nothing`)).status).toBe(401);
  });

  it('never stores the key in the log, even where a client leaks it', async () => {
    const key = 'very-secret-key';
    const simulator = await start({ apiKey: key, tasks: [{ id: 't' }] });
    await simFetch(simulator, `/transcribe/t?leak=${key}`, { headers: { authorization: `Bearer ${key}` } });
    const form = new FormData();
    form.set('language', '1');
    form.set('media_url', `https://example.com/a.mp3?k=${key}`);
    form.set('project_name', key);
    await simFetch(simulator, '/transcribe', { method: 'POST', body: form });
    await simulator.waitForRequest((entry) => entry.seq === 2 && entry.finishedAt !== undefined);
    const logged = JSON.stringify(simulator.requests);
    expect(logged).not.toContain(key);
    expect(logged).toContain('[redacted]');
    expect(simulator.requests[0]?.headers).not.toHaveProperty('x-api-key');
    expect(simulator.requests[0]?.query).toEqual({ leak: '[redacted]' });
    expect(String(simulator)).not.toContain(key);
    expect(JSON.stringify(simulator)).not.toContain(key);
  });
});

describe('startCambSimulator: CORS', () => {
  it('allows in a preflight the extra headers an app asks for (an interceptor adding authorization)', async () => {
    const simulator = await start();
    const res = await fetch(`${simulator.url}/transcribe/x`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key, Authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-headers')).toBe('x-api-key, content-type, authorization');
  });

  it('answers a preflight 204 without a key, logged but not counted as a poll or in stats', async () => {
    const simulator = await start({ tasks: [{ id: 't', pendingPolls: 1 }] });
    const res = await fetch(`${simulator.url}/transcribe/t`, {
      method: 'OPTIONS',
      headers: { origin: 'http://app.test', 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-api-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe('x-api-key, content-type');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(simulator.requests).toHaveLength(1);
    expect(simulator.requests[0]).toMatchObject({ method: 'OPTIONS', route: 'preflight', status: 204 });
    expect(simulator.task('t')).toMatchObject({ requests: 0, polls: 0 });
    expect(simulator.stats.total).toBe(0);
    expect((await readStatuses(simulator, '/transcribe/t', 1))[0]).toBe('PENDING');
  });

  it('sends the CORS headers on answers and on errors', async () => {
    const simulator = await start({ tasks: [{ id: 't' }] });
    for (const res of [await simFetch(simulator, '/transcribe/t'), await fetch(`${simulator.url}/transcribe/t`), await simFetch(simulator, '/x')]) {
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-expose-headers')).toBe('Retry-After');
    }
  });
});

describe('startCambSimulator: task lifecycles', () => {
  it('pendingPolls answers PENDING that many times, then the outcome, which repeats', async () => {
    const simulator = await start({ tasks: [{ id: 't', pendingPolls: 2, outcome: { status: 'SUCCESS', runId: 42 } }] });
    expect(await readStatuses(simulator, '/transcribe/t', 4)).toEqual(['PENDING', 'PENDING', 'SUCCESS', 'SUCCESS']);
    expect(simulator.task('t')).toEqual({ id: 't', kind: 'transcribe', polls: 4, requests: 4, status: 'SUCCESS', runId: 42 });
    const last = await (await simFetch(simulator, '/transcribe/t')).json();
    expect(last).toEqual({ status: 'SUCCESS', run_id: 42, exception_reason: null, message: null });
  });

  it('a task without a lifecycle answers its outcome at once; run ids are assigned when absent', async () => {
    const simulator = await start();
    const first = simulator.addTask();
    const second = simulator.addTask();
    const a = (await (await simFetch(simulator, `/transcribe/${first}`)).json()) as { run_id: number };
    const b = (await (await simFetch(simulator, `/transcribe/${second}`)).json()) as { run_id: number };
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Number.isInteger(a.run_id)).toBe(true);
    expect(b.run_id).not.toBe(a.run_id);
  });

  it('pendingMs answers PENDING until that much real time has passed', async () => {
    const simulator = await start({ tasks: [{ id: 't', pendingMs: 400 }] });
    expect(await readStatuses(simulator, '/transcribe/t', 1)).toEqual(['PENDING']);
    await new Promise((resolve) => setTimeout(resolve, 420));
    expect(await readStatuses(simulator, '/transcribe/t', 1)).toEqual(['SUCCESS']);
  });

  it('statuses answers each in turn, allows unknown values and repeats the last', async () => {
    const simulator = await start({
      tasks: [{ id: 't', statuses: ['PENDING', 'RUNNING', 'ERROR'], outcome: { status: 'ERROR', exceptionReason: 'PROCESSING_ERROR', message: 'boom' } }],
    });
    expect(await readStatuses(simulator, '/transcribe/t', 3)).toEqual(['PENDING', 'RUNNING', 'ERROR']);
    expect(await (await simFetch(simulator, '/transcribe/t')).json()).toEqual({
      status: 'ERROR',
      run_id: null,
      exception_reason: 'PROCESSING_ERROR',
      message: 'boom',
    });
  });

  it('failure outcomes carry exception_reason and message (string or object)', async () => {
    const simulator = await start({
      tasks: [
        { id: 'timeout', outcome: { status: 'TIMEOUT' } },
        { id: 'pay', pendingPolls: 1, outcome: { status: 'PAYMENT_REQUIRED', exceptionReason: 'PAYMENT_REQUIRED', message: { credits: 0 } } },
        { id: 'forever', outcome: { status: 'PENDING' } },
      ],
    });
    expect(await (await simFetch(simulator, '/transcribe/timeout')).json()).toEqual({ status: 'TIMEOUT', run_id: null, exception_reason: null, message: null });
    expect(await readStatuses(simulator, '/transcribe/pay', 1)).toEqual(['PENDING']);
    expect(await (await simFetch(simulator, '/transcribe/pay')).json()).toEqual({
      status: 'PAYMENT_REQUIRED',
      run_id: null,
      exception_reason: 'PAYMENT_REQUIRED',
      message: { credits: 0 },
    });
    expect(await readStatuses(simulator, '/transcribe/forever', 3)).toEqual(['PENDING', 'PENDING', 'PENDING']);
    expect(simulator.task('forever').runId).toBeNull();
  });

  it('lists every task as snapshots', async () => {
    const simulator = await start({ tasks: [{ id: 'a' }, { id: 'b', kind: 'tts' }] });
    expect(simulator.tasks.map((task) => [task.id, task.kind])).toEqual([['a', 'transcribe'], ['b', 'tts']]);
    expect(Object.isFrozen(simulator.task('a'))).toBe(true);
  });
});

describe('startCambSimulator: POST /transcribe', () => {
  it('creates a task from a multipart upload, logging the file by name, type, size and sha256', async () => {
    const simulator = await start();
    const audio = new Uint8Array([1, 2, 3, 4, 5, 250]);
    const form = new FormData();
    form.set('language', '1');
    form.set('media_file', new Blob([audio], { type: 'audio/mpeg' }), 'clip.mp3');
    form.set('project_name', 'demo');
    form.set('folder_id', '7');
    const res = await simFetch(simulator, '/transcribe', { method: 'POST', body: form });
    expect(res.status).toBe(200);
    const { task_id: taskId } = (await res.json()) as { task_id: string };
    expect(taskId).toMatch(/^[0-9a-f-]{36}$/);
    const entry = simulator.requests[0];
    expect(entry).toMatchObject({ route: 'create', status: 200, taskId });
    expect(entry?.form).toEqual({
      language: '1',
      media_file: {
        fileName: 'clip.mp3',
        type: 'audio/mpeg',
        size: 6,
        sha256: createHash('sha256').update(audio).digest('hex'),
        bytes: audio,
      },
      project_name: 'demo',
      folder_id: '7',
    });
    expect(simulator.task(taskId).kind).toBe('transcribe');
    expect(await readStatuses(simulator, `/transcribe/${taskId}`, 3)).toEqual(['PENDING', 'PENDING', 'SUCCESS']);
    const runId = simulator.task(taskId).runId;
    expect((await simFetch(simulator, `/transcription-result/${runId}`)).status).toBe(200);
  });

  it('keeps only the hash of a large file', async () => {
    const simulator = await start();
    const form = new FormData();
    form.set('language', '1');
    form.set('media_file', new Blob([new Uint8Array(5000).fill(7)]), 'big.wav');
    expect((await simFetch(simulator, '/transcribe', { method: 'POST', body: form })).status).toBe(200);
    const file = simulator.requests[0]?.form?.['media_file'];
    expect(file).toMatchObject({ fileName: 'big.wav', size: 5000 });
    expect(file).not.toHaveProperty('bytes');
  });

  it('creates a task from a media_url with the createdTask lifecycle', async () => {
    const simulator = await start({ createdTask: { statuses: ['PENDING', 'ERROR'], outcome: { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG' } } });
    const form = new FormData();
    form.set('language', '1');
    form.set('media_url', 'https://example.com/talk.mp3');
    const res = await simFetch(simulator, '/transcribe', { method: 'POST', body: form });
    const { task_id: taskId } = (await res.json()) as { task_id: string };
    expect(simulator.requests[0]?.form).toEqual({ language: '1', media_url: 'https://example.com/talk.mp3' });
    expect(await readStatuses(simulator, `/transcribe/${taskId}`, 3)).toEqual(['PENDING', 'ERROR', 'ERROR']);
  });

  it('answers 422 with FastAPI-style details for a bad form', async () => {
    const simulator = await start();
    const cases: Array<[Record<string, string | Blob>, Array<{ loc: unknown[]; type: string }>]> = [
      [{ media_url: 'https://example.com/a.mp3' }, [{ loc: ['body', 'language'], type: 'missing' }]],
      [{ language: 'en', media_url: 'https://example.com/a.mp3' }, [{ loc: ['body', 'language'], type: 'int_parsing' }]],
      [{ language: '1' }, [{ loc: ['body'], type: 'value_error' }]],
      [{ language: '1', media_url: 'https://e.com/a', media_file: new Blob(['x']) }, [{ loc: ['body'], type: 'value_error' }]],
      [{ language: '1', media_url: 'not a url' }, [{ loc: ['body', 'media_url'], type: 'url_parsing' }]],
      [{ language: '1', media_file: 'text instead of a file' }, [{ loc: ['body', 'media_file'], type: 'value_error' }]],
      [{ language: '1', media_url: 'https://e.com/a', folder_id: 'x' }, [{ loc: ['body', 'folder_id'], type: 'int_parsing' }]],
    ];
    for (const [fields, expected] of cases) {
      const form = new FormData();
      for (const [name, value] of Object.entries(fields)) form.set(name, value);
      const res = await simFetch(simulator, '/transcribe', { method: 'POST', body: form });
      expect(res.status, JSON.stringify(fields)).toBe(422);
      const { detail } = (await res.json()) as { detail: Array<{ loc: unknown[]; msg: string; type: string }> };
      expect(detail, JSON.stringify(fields)).toEqual(expected.map((issue) => ({ ...issue, msg: expect.any(String) })));
    }
    expect(simulator.tasks).toHaveLength(0);
  });

  it('answers 422 to a body that is not multipart', async () => {
    const simulator = await start();
    const res = await simFetch(simulator, '/transcribe', { method: 'POST', body: JSON.stringify({ language: 1 }), headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: Array<{ loc: unknown[] }> }).detail[0]?.loc).toEqual(['body']);
  });
});

describe('startCambSimulator: transcription results', () => {
  const transcript = [{ start: 0, end: 1, text: 'one two', speaker: 'A' }];

  it('answers {"transcript": [...]} by default and the bare array with resultShape "array"', async () => {
    const simulator = await start({
      tasks: [
        { outcome: { status: 'SUCCESS', runId: 1 }, transcript },
        { outcome: { status: 'SUCCESS', runId: 2 }, transcript, resultShape: 'array' },
        { outcome: { status: 'SUCCESS', runId: 3 } },
      ],
    });
    expect(await (await simFetch(simulator, '/transcription-result/1')).json()).toEqual({ transcript });
    expect(await (await simFetch(simulator, '/transcription-result/2')).json()).toEqual(transcript);
    const fallback = (await (await simFetch(simulator, '/transcription-result/3')).json()) as { transcript: unknown[] };
    expect(fallback.transcript).toHaveLength(2);
    expect(simulator.requests[0]).toMatchObject({ route: 'result', runId: 1 });
  });

  it('adds words with even timings when word_level_timestamps=true', async () => {
    const simulator = await start({ tasks: [{ outcome: { status: 'SUCCESS', runId: 1 }, transcript }] });
    expect(await (await simFetch(simulator, '/transcription-result/1?word_level_timestamps=true')).json()).toEqual({
      transcript: [{ ...transcript[0], words: [{ word: 'one', start: 0, end: 0.5 }, { word: 'two', start: 0.5, end: 1 }] }],
    });
    expect(await (await simFetch(simulator, '/transcription-result/1?word_level_timestamps=false')).json()).toEqual({ transcript });
    expect((await simFetch(simulator, '/transcription-result/1?word_level_timestamps=maybe')).status).toBe(422);
  });

  it('answers 404 for an unknown run id, a run id of a non-transcribe task, and 422 for a non-integer', async () => {
    const simulator = await start({ tasks: [{ kind: 'dub', outcome: { status: 'SUCCESS', runId: 9 } }] });
    expect((await simFetch(simulator, '/transcription-result/12345')).status).toBe(404);
    expect((await simFetch(simulator, '/transcription-result/9')).status).toBe(404);
    expect((await simFetch(simulator, '/transcription-result/abc')).status).toBe(422);
  });

  it('POST /transcription-results answers an object keyed by run id, leaving unknown ids out', async () => {
    const simulator = await start({
      tasks: [
        { outcome: { status: 'SUCCESS', runId: 1 }, transcript },
        { outcome: { status: 'SUCCESS', runId: 2 }, transcript, resultShape: 'array' },
      ],
    });
    const res = await simFetch(simulator, '/transcription-results', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ run_ids: [1, 2, 77] }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ 1: { transcript }, 2: transcript });
  });

  it('POST /transcription-results answers 422 to a bad body', async () => {
    const simulator = await start();
    const bodies: Array<[string, unknown[]]> = [
      ['not json', ['body']],
      ['{}', ['body', 'run_ids']],
      ['{"run_ids": 5}', ['body', 'run_ids']],
      ['{"run_ids": [1, "2"]}', ['body', 'run_ids', 1]],
      ['[1, 2]', ['body', 'run_ids']],
    ];
    for (const [body, loc] of bodies) {
      const res = await simFetch(simulator, '/transcription-results', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(res.status, body).toBe(422);
      expect(((await res.json()) as { detail: Array<{ loc: unknown[] }> }).detail[0]?.loc, body).toEqual(loc);
    }
  });
});
