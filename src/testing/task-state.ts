import { performance } from 'node:perf_hooks';
import type { TaskKind } from '../wire/task-kind.js';
import type { Fault } from './fault.js';
import type { TaskSnapshot } from './simulated-task.js';
import type { ResultShape, SimulatedSegment } from './transcript.js';
import type { Lifecycle, TaskDefinition } from './validate-task.js';

/** The JSON body of `GET /{kind}/{task_id}`, every field present. */
export interface StatusBody {
  readonly status: string;
  readonly run_id: number | null;
  readonly exception_reason: string | null;
  readonly message: string | object | null;
}

/** A status answer not yet given: `commit` records it as a read and moves the lifecycle on. */
export interface StatusRead {
  readonly body: StatusBody;
  readonly commit: () => void;
}

/**
 * The live state of one simulated task: its counters and where its lifecycle stands.
 *
 * @internal
 */
export class TaskState {
  readonly id: string;
  readonly kind: TaskKind;
  readonly runId: number | null;
  readonly transcript: readonly SimulatedSegment[];
  readonly resultShape: ResultShape;
  readonly #definition: TaskDefinition;
  readonly #addedAt = performance.now();
  #polls = 0;
  #requests = 0;
  #status: string | null = null;

  /**
   * @param definition - the validated task
   * @param id - its id (given or generated)
   * @param runId - its run id, or null when the outcome is not `SUCCESS`
   */
  constructor(definition: TaskDefinition, id: string, runId: number | null) {
    this.#definition = definition;
    this.id = id;
    this.kind = definition.kind;
    this.runId = runId;
    this.transcript = definition.transcript;
    this.resultShape = definition.resultShape;
  }

  /**
   * Counts a status request with a valid key and returns the task's own fault for it, if any.
   *
   * @returns the fault for this request number, or undefined
   * @throws TypeError when a `faults` function returns something that is not a fault
   */
  nextRequest(): Fault | undefined {
    this.#requests += 1;
    return this.#definition.faults?.(this.#requests);
  }

  /**
   * Works out the answer to a status read without recording it.
   *
   * @returns the body and the `commit` that records the read
   */
  read(): StatusRead {
    const status = statusAt(this.#definition.lifecycle, this.#definition.outcomeStatus, this.#polls, performance.now() - this.#addedAt);
    const failed = status === this.#definition.outcomeStatus && status !== 'SUCCESS';
    const body: StatusBody = {
      status,
      run_id: status === 'SUCCESS' ? this.runId : null,
      exception_reason: failed ? this.#definition.exceptionReason : null,
      message: failed ? this.#definition.message : null,
    };
    return {
      body,
      commit: () => {
        this.#polls += 1;
        this.#status = status;
      },
    };
  }

  /**
   * @returns a frozen view of the task's counters
   */
  snapshot(): TaskSnapshot {
    return Object.freeze({
      id: this.id,
      kind: this.kind,
      polls: this.#polls,
      requests: this.#requests,
      status: this.#status,
      runId: this.runId,
    });
  }
}

function statusAt(lifecycle: Lifecycle, outcome: string, polls: number, elapsedMs: number): string {
  switch (lifecycle.type) {
    case 'polls':
      return polls < lifecycle.pendingPolls ? 'PENDING' : outcome;
    case 'ms':
      return elapsedMs < lifecycle.pendingMs ? 'PENDING' : outcome;
    case 'statuses':
      return lifecycle.statuses[Math.min(polls, lifecycle.statuses.length - 1)] ?? outcome;
  }
}
