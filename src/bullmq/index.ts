export { createCambQueue, type CambQueue, type RunWorkerOptions, type ResultsOptions, type WatchOptions } from './create-camb-queue.js';
export type { CambQueueOptions, CambQueueBudget } from './bullmq-options.js';
export { DecidedBy, type Decider, type QueuedTaskStatus } from './queued-task-status.js';
export { limiterWindows, type LimiterWindows } from './limiter-windows.js';
