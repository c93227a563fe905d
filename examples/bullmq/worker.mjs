/**
 * One camb-rx/bullmq worker: run as many of these as you like, on as many machines; together they
 * keep one API key's budget. SIGTERM or Ctrl-C drains it: requests in flight finish, then it exits.
 *
 *   CAMB_API_KEY=... REDIS_URL=redis://127.0.0.1:6379 node examples/bullmq/worker.mjs
 *
 * Environment: CAMB_API_KEY (required), CAMB_BASE_URL (e.g. a simulator's `url`), REDIS_URL
 * (default redis://127.0.0.1:6379), CONCURRENCY (default 10), CAMB_POLL_MS (a fixed poll interval;
 * default CAMB's recommended backoff), CAMB_QUEUE_PREFIX (the Redis key prefix; default camb-rx).
 *
 * It imports `camb-rx/bullmq` by name, as an installed package would (the package refers to itself).
 */
import { createCambQueue } from 'camb-rx/bullmq';
import { cambQueueOptions } from './queue-options.mjs';

const camb = createCambQueue(cambQueueOptions());
let reads = 0;
const worker = camb.runWorker({ concurrency: Number(process.env.CONCURRENCY ?? 10) }).subscribe(() => (reads += 1));
console.error(`worker ${process.pid}: running`);

const drain = async () => {
  worker.unsubscribe();
  await camb.close();
  console.error(`worker ${process.pid}: drained after ${reads} status reads`);
};
process.once('SIGTERM', drain);
process.once('SIGINT', drain);
