/**
 * A plain RxJS app against the CAMB simulator, which it starts itself (no key, no network):
 *
 *   npm run build && node examples/rxjs-app.mjs
 *
 * 1. `transcriptionStatus$` with its own retries off, so that `retryTransport` outside retries
 *    the whole watch after a 503; `distinctStatus` (after the retry) hides the repeated PENDING.
 * 2. A client from `createCambClient` (one connection, one request budget) following a task that
 *    fails; `throwOnFailure` makes the ERROR status a `CambTaskFailedError`, handled by a guard.
 */
import { createCambClient, distinctStatus, isCambTaskFailedError, retryTransport, throwOnFailure, transcriptionStatus$ } from 'camb-rx';
import { startCambSimulator } from 'camb-rx/testing';
import { EMPTY, catchError, lastValueFrom, tap } from 'rxjs';

const simulator = await startCambSimulator({
  tasks: [
    {
      id: 'talk',
      statuses: ['PENDING', 'PENDING', 'RUNNING', 'SUCCESS'],
      outcome: { status: 'SUCCESS', runId: 42 },
      faults: { 2: { type: 'http', status: 503 } },
    },
    { id: 'too-long', pendingPolls: 1, outcome: { status: 'ERROR', exceptionReason: 'SOURCE_TOO_LONG', message: 'Audio over 2 h' } },
  ],
});

try {
  const connection = { apiKey: simulator.apiKey, baseUrl: simulator.url };
  const log = (s) => console.log(`${s.taskId}: ${s.status} (poll ${s.poll})`);

  const talk$ = transcriptionStatus$('talk', { ...connection, interval: 20, retry: false }).pipe(
    retryTransport({ maxRetries: 2, baseDelayMs: 50, onRetry: (e) => console.log(`retry ${e.attempt}: ${e.error.message}`) }),
    distinctStatus(),
    throwOnFailure(),
    tap(log),
  );
  const talk = await lastValueFrom(talk$);
  console.log(`talk: done, result run id ${talk.runId}`);

  const camb = createCambClient({ ...connection, maxRequestsPerSecond: 10 });
  const tooLong$ = camb.transcriptionStatus$('too-long', { interval: 20 }).pipe(
    tap(log),
    throwOnFailure(),
    catchError((error) => {
      if (!isCambTaskFailedError(error)) throw error;
      console.log(`too-long: failed, ${error.exceptionReason}: ${error.message}`);
      return EMPTY;
    }),
  );
  await lastValueFrom(tooLong$, { defaultValue: undefined });
} finally {
  await simulator.close();
}
