import { errorAnswer, validationAnswer, type Answer, type ValidationIssue } from './answer.js';
import { isRecord } from './option-checks.js';
import type { TaskRegistry } from './task-registry.js';
import { transcriptionResultBody } from './transcript.js';

const trueWords = new Set(['true', '1', 'yes', 'on']);
const falseWords = new Set(['false', '0', 'no', 'off']);

/**
 * Reads the `word_level_timestamps` query parameter as FastAPI does.
 *
 * @internal
 * @param query - the request's query
 * @returns the flag, or a validation issue for a value that is not a boolean
 */
function readWordLevel(query: URLSearchParams): boolean | ValidationIssue {
  const value = query.get('word_level_timestamps');
  if (value === null) return false;
  const lower = value.toLowerCase();
  if (trueWords.has(lower)) return true;
  if (falseWords.has(lower)) return false;
  return { loc: ['query', 'word_level_timestamps'], msg: 'Input should be a valid boolean', type: 'bool_parsing' };
}

/**
 * The answer to `GET /transcription-result/{run_id}`.
 *
 * @internal
 * @param runId - the run id, or undefined when the path segment was not an integer
 * @param query - the request's query
 * @param registry - the tasks
 * @returns the result, 404 for an unknown run id, or 422
 */
export function resultAnswer(runId: number | undefined, query: URLSearchParams, registry: TaskRegistry): Answer {
  const wordLevel = readWordLevel(query);
  const issues: ValidationIssue[] = typeof wordLevel === 'boolean' ? [] : [wordLevel];
  if (runId === undefined) {
    const msg = 'Input should be a valid integer, unable to parse string as an integer';
    issues.unshift({ loc: ['path', 'run_id'], msg, type: 'int_parsing' });
  }
  if (issues.length > 0 || runId === undefined) return validationAnswer(issues);
  const task = registry.transcription(runId);
  if (!task) return errorAnswer(404, `Run ${runId} not found`);
  return { status: 200, body: transcriptionResultBody(task.transcript, task.resultShape, wordLevel === true) };
}

/**
 * The answer to `POST /transcription-results`: an object keyed by run id, each value a result
 * as `GET /transcription-result/{run_id}` would give it. Unknown run ids are left out.
 *
 * @internal
 * @param body - the raw request body
 * @param query - the request's query (`word_level_timestamps` applies to every result)
 * @param registry - the tasks
 * @returns the results, or 422 for a body that is not `{"run_ids": [int, ...]}`
 */
export function resultsAnswer(body: Buffer, query: URLSearchParams, registry: TaskRegistry): Answer {
  const wordLevel = readWordLevel(query);
  if (typeof wordLevel !== 'boolean') return validationAnswer([wordLevel]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return validationAnswer([{ loc: ['body'], msg: 'JSON decode error', type: 'json_invalid' }]);
  }
  const runIds = isRecord(parsed) ? parsed['run_ids'] : undefined;
  if (!isRecord(parsed) || runIds === undefined) {
    return validationAnswer([{ loc: ['body', 'run_ids'], msg: 'Field required', type: 'missing' }]);
  }
  if (!Array.isArray(runIds)) {
    return validationAnswer([{ loc: ['body', 'run_ids'], msg: 'Input should be a valid list', type: 'list_type' }]);
  }
  const issues: ValidationIssue[] = [];
  runIds.forEach((runId: unknown, index) => {
    if (typeof runId !== 'number' || !Number.isSafeInteger(runId)) {
      issues.push({ loc: ['body', 'run_ids', index], msg: 'Input should be a valid integer', type: 'int_type' });
    }
  });
  if (issues.length > 0) return validationAnswer(issues);
  const results: Record<string, unknown> = {};
  for (const runId of runIds as number[]) {
    const task = registry.transcription(runId);
    if (task) results[String(runId)] = transcriptionResultBody(task.transcript, task.resultShape, wordLevel);
  }
  return { status: 200, body: results };
}
