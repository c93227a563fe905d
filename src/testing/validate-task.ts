import { isTaskKind, TaskKinds, type TaskKind } from '../wire/task-kind.js';
import type { Fault } from './fault.js';
import {
  describeValue,
  isRecord,
  refuseUnknownKeys,
  requireInteger,
  requireNumber,
  requireString,
} from './option-checks.js';
import type { TaskFaults } from './simulated-task.js';
import { defaultTranscript, ResultShapes, type ResultShape, type SimulatedSegment } from './transcript.js';
import { validateFault } from './validate-fault.js';

/** When a task stops answering `PENDING`, normalised from the three lifecycle options. */
export type Lifecycle =
  | { readonly type: 'polls'; readonly pendingPolls: number }
  | { readonly type: 'ms'; readonly pendingMs: number }
  | { readonly type: 'statuses'; readonly statuses: readonly string[] };

/** A validated task with every default applied, except the run id (assigned on registration). */
export interface TaskDefinition {
  /** Undefined when a UUID is to be generated. */
  readonly id: string | undefined;
  readonly kind: TaskKind;
  readonly lifecycle: Lifecycle;
  readonly outcomeStatus: string;
  /** The run id asked for, on a `SUCCESS` outcome. */
  readonly runId: number | undefined;
  readonly exceptionReason: string | null;
  readonly message: string | object | null;
  readonly transcript: readonly SimulatedSegment[];
  readonly resultShape: ResultShape;
  /** Undefined when the task has none. */
  readonly faults: ((requestNumber: number) => Fault | undefined) | undefined;
}

const taskKeys = ['id', 'kind', 'pendingPolls', 'pendingMs', 'statuses', 'outcome', 'transcript', 'resultShape', 'faults'];
const templateKeys = taskKeys.filter((key) => key !== 'id' && key !== 'kind');

/**
 * Validates a `SimulatedTask` (or, with `template`, a `CreatedTaskTemplate`) and applies defaults.
 *
 * @internal
 * @param value - the task as the caller gave it
 * @param name - its path for messages, e.g. `tasks[2]`
 * @param template - true for `createdTask`: no `id`, `kind` or `outcome.runId`
 * @returns the normalised definition
 * @throws TypeError naming the bad property
 */
export function validateTask(value: unknown, name: string, template = false): TaskDefinition {
  if (!isRecord(value)) throw new TypeError(`${name} must be an object, got ${describeValue(value)}`);
  refuseUnknownKeys(value, name, template ? templateKeys : taskKeys);
  const id = value['id'] === undefined ? undefined : requireString(value['id'], `${name}.id`, true);
  const kind = value['kind'] ?? TaskKinds.transcribe;
  if (!isTaskKind(kind)) {
    throw new TypeError(`${name}.kind must be one of ${Object.values(TaskKinds).join(', ')}, got ${describeValue(kind)}`);
  }
  const outcome = validateOutcome(value['outcome'], `${name}.outcome`, template);
  return {
    id,
    kind,
    lifecycle: validateLifecycle(value, name),
    ...outcome,
    transcript: value['transcript'] === undefined ? defaultTranscript : validateTranscript(value['transcript'], `${name}.transcript`),
    resultShape: validateResultShape(value['resultShape'], `${name}.resultShape`),
    faults: value['faults'] === undefined ? undefined : validateTaskFaults(value['faults'], `${name}.faults`),
  };
}

function validateLifecycle(value: Record<string, unknown>, name: string): Lifecycle {
  const given = (['pendingPolls', 'pendingMs', 'statuses'] as const).filter((key) => value[key] !== undefined);
  if (given.length > 1) throw new TypeError(`${name} may set only one of pendingPolls, pendingMs and statuses, got ${given.join(' and ')}`);
  if (value['pendingMs'] !== undefined) return { type: 'ms', pendingMs: requireNumber(value['pendingMs'], `${name}.pendingMs`) };
  if (value['statuses'] !== undefined) {
    const statuses = value['statuses'];
    if (!Array.isArray(statuses) || statuses.length === 0) {
      throw new TypeError(`${name}.statuses must be a non-empty array of status strings, got ${describeValue(statuses)}`);
    }
    return { type: 'statuses', statuses: statuses.map((status, i) => requireString(status, `${name}.statuses[${i}]`, true)) };
  }
  const pendingPolls = value['pendingPolls'] === undefined ? 0 : requireInteger(value['pendingPolls'], `${name}.pendingPolls`, 0);
  return { type: 'polls', pendingPolls };
}

type Outcome = Pick<TaskDefinition, 'outcomeStatus' | 'runId' | 'exceptionReason' | 'message'>;

function validateOutcome(value: unknown, name: string, template: boolean): Outcome {
  if (value === undefined) return { outcomeStatus: 'SUCCESS', runId: undefined, exceptionReason: null, message: null };
  if (!isRecord(value)) throw new TypeError(`${name} must be an object such as { status: 'SUCCESS' }, got ${describeValue(value)}`);
  const status = requireString(value['status'], `${name}.status`, true);
  if (status === 'SUCCESS') {
    refuseUnknownKeys(value, name, template ? ['status'] : ['status', 'runId']);
    const runId = value['runId'] === undefined ? undefined : requireInteger(value['runId'], `${name}.runId`, 1);
    return { outcomeStatus: status, runId, exceptionReason: null, message: null };
  }
  refuseUnknownKeys(value, name, ['status', 'exceptionReason', 'message']);
  const reason = value['exceptionReason'];
  const message = value['message'];
  if (message !== undefined && typeof message !== 'string' && (typeof message !== 'object' || message === null)) {
    throw new TypeError(`${name}.message must be a string or an object, got ${describeValue(message)}`);
  }
  return {
    outcomeStatus: status,
    runId: undefined,
    exceptionReason: reason === undefined ? null : requireString(reason, `${name}.exceptionReason`),
    message: message ?? null,
  };
}

function validateTranscript(value: unknown, name: string): readonly SimulatedSegment[] {
  if (!Array.isArray(value)) throw new TypeError(`${name} must be an array of segments, got ${describeValue(value)}`);
  return value.map((segment: unknown, i) => {
    const at = `${name}[${i}]`;
    if (!isRecord(segment)) throw new TypeError(`${at} must be { start, end, text, speaker }, got ${describeValue(segment)}`);
    return {
      start: requireNumber(segment['start'], `${at}.start`),
      end: requireNumber(segment['end'], `${at}.end`),
      text: requireString(segment['text'], `${at}.text`),
      speaker: requireString(segment['speaker'], `${at}.speaker`),
    };
  });
}

function validateResultShape(value: unknown, name: string): ResultShape {
  if (value === undefined) return ResultShapes.object;
  if (value === ResultShapes.object || value === ResultShapes.array) return value;
  throw new TypeError(`${name} must be 'object' or 'array', got ${describeValue(value)}`);
}

function validateTaskFaults(value: unknown, name: string): (requestNumber: number) => Fault | undefined {
  if (typeof value === 'function') {
    const faultFor = value as Extract<TaskFaults, (requestNumber: number) => unknown>;
    return (requestNumber) => {
      const fault = faultFor(requestNumber);
      return fault === undefined ? undefined : validateFault(fault, `${name}(${requestNumber})`);
    };
  }
  if (!isRecord(value)) {
    throw new TypeError(`${name} must be an object keyed by 1-based request number ({ 1: fault }) or a function, got ${describeValue(value)}`);
  }
  const byNumber = new Map<number, Fault>();
  for (const [key, fault] of Object.entries(value)) {
    const requestNumber = Number(key);
    if (!Number.isInteger(requestNumber) || requestNumber < 1 || String(requestNumber) !== key) {
      throw new TypeError(`${name} keys must be 1-based request numbers, got "${key}"`);
    }
    byNumber.set(requestNumber, validateFault(fault, `${name}[${key}]`));
  }
  return (requestNumber) => byNumber.get(requestNumber);
}
