// One camb-rx/bullmq worker process for bench/distributed.mjs.
//   argv[2]: JSON { queue: CambQueueOptions, worker: RunWorkerOptions }
//   child -> { type: 'ready' }; parent -> { type: 'close' }: closes gracefully, reports
//   { type: 'cpu', ms, wallMs } (its CPU time while working, process.cpuUsage(), and the time it
//   worked), then exits.
import { createCambQueue } from 'camb-rx/bullmq';

const { queue, worker } = JSON.parse(process.argv[2]);
const camb = createCambQueue(queue);
const cpuAtStart = process.cpuUsage();
const startedAt = performance.now();
const subscription = camb.runWorker(worker).subscribe();
process.send({ type: 'ready' });
process.on('message', async (message) => {
  if (message.type !== 'close') return;
  subscription.unsubscribe();
  await camb.close();
  const { user, system } = process.cpuUsage(cpuAtStart);
  process.send({ type: 'cpu', ms: (user + system) / 1000, wallMs: performance.now() - startedAt }, () => process.exit(0));
});
process.on('disconnect', () => process.exit(1));
