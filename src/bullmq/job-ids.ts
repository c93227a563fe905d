import { createHash, randomUUID } from 'node:crypto';
import type { TaskKind } from '../wire/task-kind.js';

/**
 * The id of a task's watch job, and of its result job: `{kind}.{taskId}` with `%` and `:` percent-
 * encoded, because BullMQ refuses `:` in custom job ids (its Redis keys are `:`-separated) and an
 * id of digits alone (the kind prefix rules that out). One id per task makes `watch` idempotent.
 *
 * @example
 * ```ts
 * taskJobId('transcribe', 'a:b'); // 'transcribe.a%3Ab'
 * ```
 */
export function taskJobId(kind: TaskKind, taskId: string): string {
  return `${kind}.${taskId.replaceAll('%', '%25').replaceAll(':', '%3A')}`;
}

/** The prefix of every create job's id; no task kind is `create`, so no watch id has it. */
const CREATE_JOB_ID_PREFIX = 'create.';

/** The id of a new create job: one per request, never shared (a create is not idempotent). */
export function createJobId(): string {
  return `${CREATE_JOB_ID_PREFIX}${randomUUID()}`;
}

/** Whether a polls-queue job id is a create job's (see {@link createJobId}). */
export function isCreateJobId(jobId: string): boolean {
  return jobId.startsWith(CREATE_JOB_ID_PREFIX);
}

/** The queue names of one API key: one queue (so one budget) per key, named by a hash, never the key. */
export function queueNames(apiKey: string): { readonly polls: string; readonly results: string } {
  const polls = `camb-${createHash('sha256').update(apiKey).digest('hex').slice(0, 12)}`;
  return { polls, results: `${polls}-results` };
}
