import type { Observable } from 'rxjs';
import type { PollOptions } from './status-options.js';
import { TaskKinds } from '../wire/task-kind.js';
import type { TaskStatus } from '../wire/task-status.js';
import { knownKindStatusWith, resolveStatusOptions } from './task-status-stream.js';

/**
 * The status stream of one transcription task: `taskStatus$('transcribe', taskId, options)`.
 * Polls `GET /transcribe/{taskId}` from subscription until SUCCESS (with `runId`) or a failure
 * status, emits that status and completes. Unsubscribe to stop: the request in flight is aborted.
 *
 * @param taskId - the `task_id` from `POST /transcribe`
 * @param options - `apiKey` and optional connection and polling options
 * @returns a cold observable of {@link TaskStatus}
 * @throws TypeError at call time for a bad id or option
 * @example
 * ```ts
 * import { transcriptionStatus$ } from 'camb-rx';
 * import { last } from 'rxjs';
 * transcriptionStatus$(taskId, { apiKey: process.env.CAMB_API_KEY! })
 *   .pipe(last())
 *   .subscribe((s) => console.log(s.status, s.runId));
 * ```
 */
export function transcriptionStatus$(taskId: string, options: PollOptions): Observable<TaskStatus> {
  return knownKindStatusWith(TaskKinds.transcribe, taskId, resolveStatusOptions(options));
}
