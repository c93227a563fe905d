/**
 * The producer side: watches the task ids given as arguments (or one per line on stdin) and prints
 * each terminal status as NDJSON once, whichever worker read it. Stops after as many results as ids.
 *
 *   CAMB_API_KEY=... node examples/bullmq/producer.mjs 3f2a... 9b1c...
 *
 * Environment: as worker.mjs. A watch is idempotent: running the producer twice for one id
 * delivers its result once (the second run then waits for it in vain: press Ctrl-C).
 */
import { createInterface } from 'node:readline';
import { createCambQueue } from 'camb-rx/bullmq';
import { from, take } from 'rxjs';
import { cambQueueOptions } from './queue-options.mjs';

const ids = process.argv.slice(2);
if (ids.length === 0) for await (const line of createInterface({ input: process.stdin })) if (line.trim()) ids.push(line.trim());
const camb = createCambQueue(cambQueueOptions());
const results = camb
  .results$(async (status) => console.log(JSON.stringify({ taskId: status.taskId, status: status.status, decidedBy: status.decidedBy })))
  .pipe(take(ids.length))
  .subscribe({ complete: () => void camb.close() });
camb.watchAll(from(ids)).subscribe({ complete: () => console.error(`watching ${ids.length} tasks`) });
process.once('SIGINT', () => {
  results.unsubscribe();
  void camb.close();
});
