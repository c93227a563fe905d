import type { TaskKind } from '../wire/task-kind.js';
import type { TaskStatus } from '../wire/task-status.js';

/** The names of the jobs of the polls queue: what their next step is (each step is one CAMB request). */
export const PollSteps = {
  /** `POST /transcribe` with a media URL; then the new task is watched. */
  create: 'create',
  /** `GET /{kind}/{taskId}`, moved back to delayed while not terminal; then, with `transcripts`,
   * `GET /transcription-result/{runId}`. */
  watch: 'watch',
} as const;

/**
 * The state of one watch, all of it in the job, so that any worker can take the next step. Kept
 * short (zeros left out): it is most of a watched task's memory in Redis.
 */
export interface WatchJobData {
  readonly kind: TaskKind;
  readonly taskId: string;
  /** Epoch ms of the first `watch`: `timeoutMs` counts from it, and the task's age unless `createdAt` says otherwise. */
  readonly watchedAt: number;
  /** Epoch ms of the task's creation, when known and not `watchedAt` (absent: `watchedAt`). */
  readonly createdAt?: number;
  /** Epoch ms of the latest read that saw the task still running (absent: none), for the cadence. */
  readonly pendingAt?: number;
  /** Status reads answered so far (absent: none). */
  readonly polls?: number;
  /** Failed requests in a row, for the retry backoff (absent: none). */
  readonly failures?: number;
  /** The terminal status, once read: the job's next step is the transcript. */
  readonly status?: TaskStatus;
}

/** A create request, as a job: only a media URL can travel through Redis. */
export interface CreateJobData {
  readonly language: number;
  readonly mediaUrl: string;
  readonly projectName?: string | undefined;
  readonly projectDescription?: string | undefined;
  readonly folderId?: number | undefined;
  /** Set before the POST is sent: a job found with it (a crash mid-request) is never sent again. */
  readonly sent?: true;
  /** The new task's id, once CAMB answered. */
  readonly taskId?: string;
  /** Epoch ms at which the request that created it was sent: the task's age counts from it. */
  readonly createdAt?: number;
}

/** The data of any job of the polls queue. */
export type PollJobData = WatchJobData | CreateJobData;

/** What a create job returns: the new task's id. */
export interface CreateJobResult {
  readonly taskId: string;
}
