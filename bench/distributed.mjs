// Benchmark 6 — distributed: camb-rx/bullmq on Redis, many worker processes, one budget.
//
// Method
// - Redis: a redis-server of the benchmark's own on a loopback port (--save "" --appendonly no,
//   maxmemory-policy noeviction), so that no other client's keys or traffic are counted.
// - Memory: 100,000 task ids through `watchAll` (no worker running: every watch waits as one job),
//   then INFO memory's used_memory before and after, ÷ tasks = Redis memory per watched task. Then
//   one worker (in this process, its own simulator) reads the first 10,000 once each; they wait,
//   delayed, for a next read 10 minutes away: used_memory's growth ÷ reads = what a read adds to a
//   task (its read count, BullMQ's processedOn and ats, a delayed-set entry for a list entry).
//   MEMORY USAGE of one job hash, waiting and delayed. Then the keys are deleted. All of it twice:
//   with Redis's default hash-max-listpack-value (64) and with 256, which keeps job hashes compact.
// - Throughput: the loopback simulator (camb-rx/testing) in this process with 20 ms of latency per
//   answer, 4 worker processes (bench/lib/queue-worker.mjs, concurrency 25 each) on one queue with
//   budget { maxRequestsPerSecond: 1000, maxConcurrentRequests: 100 } and slackMs 40, the default
//   (BENCH_SLACK_MS to change it).
//   3,000 tasks stay PENDING and are read every second (interval 1000 ms): demand of 3,000
//   requests/s, three times the budget, so the limiter is what decides the rate. For DURATION_S
//   seconds, every request's arrival is logged at the server; the first 3 s (start-up) are left out
//   of the rate. Reported: the mean rate over the rest ÷ the budget, the most requests in any
//   sliding second (the whole run, start-up included), the most in flight at once, the slots given
//   back unsent (job starts, BullMQ's `ats` summed over the jobs, minus requests), BullMQ's Lua
//   script calls (INFO commandstats, evalsha + eval, reset at the run's start) per request, and the workers'
//   CPU time per request and per job start (all four processes' process.cpuUsage() ÷ requests, ÷ starts): on a machine with
//   fewer free cores than rate × CPU per request, the CPU, not the limiter, sets the rate. So each
//   process's CPU over the run (this one, i.e. the simulator; Redis from INFO cpu; each worker) and
//   the whole machine's (/proc/stat, other users included) are printed too, with requests per
//   worker CPU second.
import { fork, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { from, last, firstValueFrom } from 'rxjs';
import { createCambQueue, limiterWindows } from 'camb-rx/bullmq';
import { startCambSimulator } from 'camb-rx/testing';
import { SMOKE, fmt, sleep, table, withDeadline, writeResults } from './lib/common.mjs';

const MEMORY_TASKS = SMOKE ? 2000 : 100_000;
const READ_TASKS = SMOKE ? 200 : 10_000;
/** BENCH_SLACK_MS=ms: the budget's slackMs (default: the library's, 40). */
const SLACK_MS = Number(process.env.BENCH_SLACK_MS ?? 40);
const BUDGET = { maxRequestsPerSecond: 1000, maxConcurrentRequests: 100, slackMs: SLACK_MS };
const WORKERS = 4;
const WORKER_CONCURRENCY = 25;
const LOAD_TASKS = SMOKE ? 300 : 3000;
const DURATION_S = SMOKE ? 4 : 20;
const WARMUP_S = SMOKE ? 1 : 3;
const LATENCY_MS = 20;
/** BENCH_LOAD_ONLY=1: the throughput run alone (about 30 s), e.g. to compare two builds back to back. */
const LOAD_ONLY = process.env.BENCH_LOAD_ONLY === '1';
/** BENCH_PROFILE_DIR=dir: the first worker writes a V8 CPU profile there (node --cpu-prof) as it exits. */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const PORT = 6390 + (process.pid % 100);

/** Starts the benchmark's own Redis and resolves once it answers. */
async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'camb-rx-bench-redis-'));
  const server = spawn('redis-server', ['--port', String(PORT), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  const redis = new Redis({ host: '127.0.0.1', port: PORT, lazyConnect: true, retryStrategy: () => 50 });
  redis.on('error', () => undefined);
  for (let tries = 0; ; tries++) {
    try {
      await redis.ping();
      break;
    } catch (error) {
      if (tries > 100) throw error;
      await sleep(50);
    }
  }
  const stop = async () => {
    redis.disconnect();
    server.kill('SIGKILL');
    await once(server, 'exit').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  return { redis, stop };
}

/** Redis's own CPU time in ms (INFO cpu: user + system). */
const redisCpuMs = async (redis) => {
  const info = await redis.info('cpu');
  return (Number(/used_cpu_user:([\d.]+)/.exec(info)[1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)[1])) * 1000;
};

/** The whole machine's CPU time, busy and in all, in clock ticks (/proc/stat: every process, the benchmark's and anyone else's). */
function machineTicks() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = fields[3] + fields[4];
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

const usedMemory = async (redis) => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))[1]);

async function memoryPerTask(redis, listpackValue) {
  await redis.config('SET', 'hash-max-listpack-value', String(listpackValue));
  const simulator = await startCambSimulator();
  const options = { apiKey: simulator.apiKey, baseUrl: simulator.url, connection: { host: '127.0.0.1', port: PORT }, prefix: 'bench-memory', budget: BUDGET, interval: 600_000 };
  const camb = createCambQueue(options);
  try {
    const ids = Array.from({ length: MEMORY_TASKS }, (_, i) => `0f8c2b6e-6a1d-4c1e-9a53-${String(i).padStart(12, '0')}`); // UUID-sized ids, as CAMB's
    await firstValueFrom(camb.watchAll(from(['warm-up'])).pipe(last())); // the queue's meta keys exist before the baseline
    const before = await usedMemory(redis);
    const started = performance.now();
    await firstValueFrom(camb.watchAll(from(ids)).pipe(last()));
    const enqueueMs = performance.now() - started;
    const after = await usedMemory(redis);
    const jobKey = (await redis.keys(`bench-memory:*:transcribe.${ids[0]}`))[0];
    const waitingJobBytes = await redis.memory('USAGE', jobKey);

    // Then the first READ_TASKS are read once each and wait, delayed, for their next read (10 min away).
    for (const id of ids.slice(0, READ_TASKS)) simulator.addTask({ id, statuses: ['PENDING'] });
    const worker = camb.runWorker({ concurrency: 50 }).subscribe();
    const readsDone = () => simulator.requests.filter((e) => e.route === 'status' && e.finishedAt !== undefined).length >= READ_TASKS;
    await withDeadline((async () => { while (!readsDone()) await sleep(100); })(), 600_000, 'the reads');
    worker.unsubscribe();
    await camb.close();
    const reads = simulator.requests.filter((e) => e.route === 'status').length;
    const afterReads = await usedMemory(redis);
    return {
      hashMaxListpackValue: listpackValue,
      tasks: MEMORY_TASKS,
      bytesPerTask: (after - before) / MEMORY_TASKS,
      waitingJobHashBytes: waitingJobBytes,
      enqueuePerSecond: MEMORY_TASKS / (enqueueMs / 1000),
      reads,
      growthPerReadBytes: (afterReads - after) / reads,
      delayedJobHashBytes: await redis.memory('USAGE', jobKey),
    };
  } finally {
    await camb.close();
    await simulator.close();
    await redis.flushall();
  }
}

function maxInAnySecond(arrivals) {
  let most = 0;
  for (let first = 0, lastIndex = 0; lastIndex < arrivals.length; lastIndex++) {
    while (arrivals[lastIndex] - arrivals[first] > 1000) first++;
    most = Math.max(most, lastIndex - first + 1);
  }
  return most;
}

function maxInFlight(entries) {
  const events = entries.flatMap((e) => [
    [e.startedAt, 1],
    [e.finishedAt ?? Infinity, -1],
  ]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let most = 0;
  for (const [, delta] of events) most = Math.max(most, (current += delta));
  return most;
}

async function throughput(redis, simulator) {
  const queue = {
    apiKey: simulator.apiKey,
    baseUrl: simulator.url,
    connection: { host: '127.0.0.1', port: PORT },
    prefix: 'bench-load',
    budget: BUDGET,
    interval: 1000,
  };
  const ids = Array.from({ length: LOAD_TASKS }, (_, i) => simulator.addTask({ id: `load-${i}`, statuses: ['PENDING'] }));
  const camb = createCambQueue(queue);
  await firstValueFrom(camb.watchAll(from(ids)).pipe(last()));
  await camb.close();
  const [anyJob] = await redis.keys(`${queue.prefix}:*:transcribe.${ids[0]}`);
  const queueName = anyJob.split(':')[1];
  const script = fileURLToPath(new URL('./lib/queue-worker.mjs', import.meta.url));
  const workers = [];
  for (let i = 0; i < WORKERS; i++) {
    const profile = PROFILE_DIR && i === 0 ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [];
    const child = fork(script, [JSON.stringify({ queue, worker: { concurrency: WORKER_CONCURRENCY } })], { execArgv: [...process.execArgv, ...profile] });
    workers.push(child);
    await once(child, 'message');
  }
  await redis.config('RESETSTAT');
  const startedAt = performance.now();
  const ownCpuAtStart = process.cpuUsage();
  const redisCpuAtStart = await redisCpuMs(redis);
  const machineAtStart = machineTicks();
  await sleep(DURATION_S * 1000);
  const workerCpu = await Promise.all(
    workers.map(async (child) => {
      const reported = new Promise((resolve) => child.on('message', (m) => m.type === 'cpu' && resolve(m)));
      child.send({ type: 'close' });
      await once(child, 'exit');
      return reported;
    }),
  );
  const cpuMs = workerCpu.map((w) => w.ms);
  const runMs = performance.now() - startedAt;
  const ownCpu = process.cpuUsage(ownCpuAtStart);
  const machineAtEnd = machineTicks();
  // Each process's share of one core over the run (workers: over their own lifetime, start-up included).
  const cpuShares = {
    simulator: (ownCpu.user + ownCpu.system) / 1000 / runMs,
    redis: ((await redisCpuMs(redis)) - redisCpuAtStart) / runMs,
    workers: workerCpu.map((w) => w.ms / w.wallMs),
    machineBusy: (machineAtEnd.busy - machineAtStart.busy) / (machineAtEnd.total - machineAtStart.total),
    cores: cpus().length,
  };
  // Redis calls of the run (before the `ats` reads below): BullMQ's Lua scripts, and every command.
  const commandStats = [...(await redis.info('commandstats')).matchAll(/^cmdstat_(\S+):calls=(\d+)/gm)].map(([, name, calls]) => [name, Number(calls)]);
  const scriptCalls = commandStats.filter(([name]) => name === 'evalsha' || name === 'eval').reduce((sum, [, calls]) => sum + calls, 0);
  const entries = simulator.requests.filter((e) => e.route === 'status');
  // Job starts (BullMQ's attemptsStarted, `ats`): a start without a request is a slot given back stale.
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hget(`${queue.prefix}:${queueName}:transcribe.${id}`, 'ats');
  const starts = (await pipeline.exec()).reduce((sum, [, ats]) => sum + Number(ats ?? 0), 0);
  const arrivals = entries.map((e) => e.startedAt).sort((a, b) => a - b);
  const measuredFrom = startedAt + WARMUP_S * 1000;
  const measuredTo = startedAt + DURATION_S * 1000;
  const inWindow = arrivals.filter((t) => t >= measuredFrom && t < measuredTo).length;
  const rate = inWindow / ((measuredTo - measuredFrom) / 1000);
  return {
    requests: entries.length,
    ratePerSecond: rate,
    shareOfBudget: rate / BUDGET.maxRequestsPerSecond,
    maxInAnySecond: maxInAnySecond(arrivals),
    maxInFlight: maxInFlight(entries),
    workerCpuMsPerRequest: cpuMs.reduce((a, b) => a + b, 0) / entries.length,
    workerCpuMsPerJobStart: cpuMs.reduce((a, b) => a + b, 0) / starts,
    requestsPerWorkerCpuSecond: entries.length / (cpuMs.reduce((a, b) => a + b, 0) / 1000),
    cpuShares,
    jobStarts: starts,
    slotsGivenBack: Math.max(0, starts - entries.length),
    scriptCallsPerRequest: scriptCalls / entries.length,
    limiter: limiterWindows(BUDGET.maxRequestsPerSecond, SLACK_MS),
  };
}

const workerColumns = (count) => Array.from({ length: count }, (_, i) => `worker ${i + 1}`);

const { redis, stop } = await startRedis();
const simulator = await startCambSimulator({ latencyMs: LATENCY_MS });
try {
  // Redis's default keeps a hash compact (a listpack) only while every value is at most 64 bytes;
  // a job's options and data are longer, so the second run raises that limit (see README).
  const memoryRuns = [];
  for (const listpackValue of LOAD_ONLY ? [] : [64, 256]) memoryRuns.push(await withDeadline(memoryPerTask(redis, listpackValue), 900_000, 'the memory run'));
  if (!LOAD_ONLY) console.log(`\n## camb-rx/bullmq: Redis memory per watched task (${fmt(MEMORY_TASKS, 0)} tasks)\n`);
  if (!LOAD_ONLY) console.log(
    table(
      ['hash-max-listpack-value', 'bytes per task (waiting)', 'job hash (waiting)', 'watches enqueued per s', 'tasks read once', 'growth per task after a read', 'job hash (delayed)'],
      memoryRuns.map((m) => [
        m.hashMaxListpackValue === 64 ? '64 (default)' : String(m.hashMaxListpackValue),
        fmt(m.bytesPerTask, 0),
        fmt(m.waitingJobHashBytes, 0),
        fmt(m.enqueuePerSecond, 0),
        fmt(m.reads, 0),
        fmt(m.growthPerReadBytes, 0),
        fmt(m.delayedJobHashBytes, 0),
      ]),
    ),
  );
  const load = await withDeadline(throughput(redis, simulator), (DURATION_S + 120) * 1000, 'the throughput run');
  console.log(`\n## camb-rx/bullmq: ${WORKERS} worker processes against a budget of ${BUDGET.maxRequestsPerSecond} req/s, ${BUDGET.maxConcurrentRequests} in flight\n`);
  console.log(
    table(
      ['limiter windows', 'rate after start-up', 'share of budget', 'most in any sliding second', 'most in flight', 'requests', 'slots given back', 'Redis script calls per request', 'worker CPU per request', 'worker CPU per job start'],
      [
        [
          `${load.limiter.max} per ${load.limiter.duration} ms`,
          `${fmt(load.ratePerSecond, 0)}/s`,
          `${fmt(load.shareOfBudget * 100, 1)}%`,
          fmt(load.maxInAnySecond, 0),
          fmt(load.maxInFlight, 0),
          fmt(load.requests, 0),
          fmt(load.slotsGivenBack, 0),
          fmt(load.scriptCallsPerRequest, 2),
          `${fmt(load.workerCpuMsPerRequest, 2)} ms`,
          `${fmt(load.workerCpuMsPerJobStart, 2)} ms`,
        ],
      ],
    ),
  );
  const { cpuShares } = load;
  const percent = (share) => `${fmt(share * 100, 0)}%`;
  console.log(`\nCPU over the run, in % of one core (the machine has ${cpuShares.cores} cores, so ${cpuShares.cores * 100}% in all)\n`);
  console.log(
    table(
      ['simulator (this process)', 'Redis', ...workerColumns(cpuShares.workers.length), 'benchmark total', 'whole machine busy', 'requests per worker CPU second'],
      [[percent(cpuShares.simulator), percent(cpuShares.redis), ...cpuShares.workers.map(percent), percent(cpuShares.simulator + cpuShares.redis + cpuShares.workers.reduce((a, b) => a + b, 0)), percent(cpuShares.machineBusy * cpuShares.cores), fmt(load.requestsPerWorkerCpuSecond, 0)]],
    ),
  );
  if (!LOAD_ONLY) writeResults('distributed', {
    memory: memoryRuns,
    load,
    budget: BUDGET,
    targets: { bytesPerTask: 1024, shareOfBudget: 0.9, met: { memory: memoryRuns.map((m) => m.bytesPerTask + m.growthPerReadBytes <= 1024), share: load.shareOfBudget >= 0.9, bound: load.maxInAnySecond <= BUDGET.maxRequestsPerSecond && load.maxInFlight <= BUDGET.maxConcurrentRequests } },
  });
} finally {
  await simulator.close();
  await stop();
}
