import { defer, filter, type MonoTypeOperatorFunction } from 'rxjs';
import type { TaskStatus } from '../wire/task-status.js';

/**
 * Passes a status only when it differs from the previous one of the same task, so a stream of
 * polls becomes a stream of changes. Statuses of several tasks (from `mergeTasks`) are compared
 * per task, and a task's terminal status always passes (then its entry is forgotten).
 *
 * @returns an operator over {@link TaskStatus}
 * @example
 * ```ts
 * import { distinctStatus, transcriptionStatus$ } from 'camb-rx';
 * transcriptionStatus$(id, { apiKey }).pipe(distinctStatus()).subscribe((s) => console.log(s.status));
 * ```
 */
export function distinctStatus(): MonoTypeOperatorFunction<TaskStatus> {
  return (source) =>
    defer(() => {
      const lastByTask = new Map<string, string>();
      return source.pipe(
        filter((current) => {
          const key = `${current.kind}/${current.taskId}`;
          const changed = lastByTask.get(key) !== current.status;
          if (current.done) lastByTask.delete(key);
          else lastByTask.set(key, current.status);
          return changed || current.done;
        }),
      );
    });
}
