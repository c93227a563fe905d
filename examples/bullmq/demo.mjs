/**
 * The whole picture on one machine: the CAMB simulator, N worker processes (worker.mjs) and a
 * producer (producer.mjs) that watches M simulated tasks. Needs Redis on 127.0.0.1:6379.
 *
 *   npm run build && node examples/bullmq/demo.mjs [workers=3] [tasks=60]
 *
 * Prints each terminal status once (NDJSON), then a summary line. Exits 0 when every task was
 * delivered exactly once.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startCambSimulator } from 'camb-rx/testing';

const [workers = 3, tasks = 60] = process.argv.slice(2).map(Number);
const simulator = await startCambSimulator({ latencyMs: 20 });
const ids = Array.from({ length: tasks }, (_, i) => simulator.addTask({ pendingPolls: 1 + (i % 3) }));
// Its own key prefix, deleted at the end: the demo leaves nothing in your Redis.
const prefix = `camb-rx-demo-${process.pid}`;
const env = { ...process.env, CAMB_API_KEY: simulator.apiKey, CAMB_BASE_URL: simulator.url, CAMB_POLL_MS: '200', CAMB_QUEUE_PREFIX: prefix };
const here = (file) => fileURLToPath(new URL(file, import.meta.url));

const children = Array.from({ length: workers }, () => fork(here('./worker.mjs'), [], { env }));
const producer = fork(here('./producer.mjs'), ids, { env, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
let output = '';
producer.stdout.on('data', (chunk) => {
  output += chunk;
  process.stdout.write(chunk);
});
await once(producer, 'exit');
for (const child of children) child.kill('SIGTERM');
await Promise.all(children.map((child) => once(child, 'exit')));

const delivered = output.split('\n').filter(Boolean).map((line) => JSON.parse(line).taskId);
console.error(`${new Set(delivered).size} of ${tasks} tasks delivered (${delivered.length} deliveries) by ${workers} workers; ${simulator.requests.length} requests at the simulator`);
await simulator.close();
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const keys = await redis.keys(`${prefix}:*`);
if (keys.length > 0) await redis.unlink(...keys);
redis.disconnect();
process.exitCode = new Set(delivered).size === tasks && delivered.length === tasks ? 0 : 1;
