import { randomUUID } from 'node:crypto';
import { TaskKinds } from '../wire/task-kind.js';
import { TaskState } from './task-state.js';
import type { TaskDefinition } from './validate-task.js';

/** The first run id handed out automatically; ids given by the caller are skipped. */
const firstAutoRunId = 100_001;

/**
 * Every task the simulator knows, by id and by run id.
 *
 * @internal
 */
export class TaskRegistry {
  readonly #byId = new Map<string, TaskState>();
  readonly #byRunId = new Map<number, TaskState>();
  #nextRunId = firstAutoRunId;

  /**
   * Registers a task, generating its id and run id when not given.
   *
   * @param definition - the validated task
   * @returns the live task
   * @throws TypeError when the id or run id is already taken
   */
  add(definition: TaskDefinition): TaskState {
    const id = definition.id ?? randomUUID();
    if (this.#byId.has(id)) throw new TypeError(`a simulated task with id "${id}" already exists`);
    if (definition.runId !== undefined && this.#byRunId.has(definition.runId)) {
      throw new TypeError(`run id ${definition.runId} is already used by another simulated task`);
    }
    const runId = definition.outcomeStatus === 'SUCCESS' ? (definition.runId ?? this.#takeRunId()) : null;
    const task = new TaskState(definition, id, runId);
    this.#byId.set(id, task);
    if (runId !== null) this.#byRunId.set(runId, task);
    return task;
  }

  /**
   * @param id - a task id
   * @returns the task, or undefined
   */
  get(id: string): TaskState | undefined {
    return this.#byId.get(id);
  }

  /**
   * Finds the transcribe task whose result a run id names.
   *
   * @param runId - a run id
   * @returns the task, or undefined when no successful transcribe task has that run id
   */
  transcription(runId: number): TaskState | undefined {
    const task = this.#byRunId.get(runId);
    return task?.kind === TaskKinds.transcribe ? task : undefined;
  }

  /**
   * @returns every task, in the order they were added
   */
  all(): TaskState[] {
    return [...this.#byId.values()];
  }

  #takeRunId(): number {
    while (this.#byRunId.has(this.#nextRunId)) this.#nextRunId += 1;
    const runId = this.#nextRunId;
    this.#nextRunId += 1;
    return runId;
  }
}
