import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TaskKinds } from '../wire/task-kind.js';
import { validationAnswer, type AnswerProducer, type ValidationIssue } from './answer.js';
import { logForm, parseMultipart } from './multipart-form.js';
import type { LoggedFormValue } from './request-log-entry.js';
import type { TaskRegistry } from './task-registry.js';
import type { TaskDefinition } from './validate-task.js';

/** What `POST /transcribe` needs from the simulator. */
export interface CreateContext {
  readonly req: IncomingMessage;
  readonly body: Buffer;
  readonly registry: TaskRegistry;
  /** The `createdTask` lifecycle. */
  readonly template: TaskDefinition;
  readonly redact: (text: string) => string;
  /** Records the parsed fields in the log. */
  readonly logForm: (form: Readonly<Record<string, LoggedFormValue>>) => void;
  /** Records the new task's id in the log. */
  readonly logTaskId: (taskId: string) => void;
}

/**
 * Prepares the answer to `POST /transcribe`: parses and checks the multipart form; the answer
 * is `{"task_id": ...}` and registers a transcribe task when committed, or a 422.
 *
 * @internal
 * @param context - the request and the simulator's parts
 * @returns the producer of the answer
 */
export async function prepareCreateTranscription(context: CreateContext): Promise<AnswerProducer> {
  const form = await parseMultipart(context.req.headers['content-type'], context.body);
  if (!form) {
    const issue = { loc: ['body'], msg: 'Expected a multipart/form-data body', type: 'model_attributes_type' };
    return () => validationAnswer([issue]);
  }
  context.logForm(await logForm(form, context.redact));
  const issues = checkForm(form);
  if (issues.length > 0) return () => validationAnswer(issues);
  return () => {
    const taskId = randomUUID();
    return {
      status: 200,
      body: { task_id: taskId },
      commit: () => {
        context.registry.add({ ...context.template, id: taskId, kind: TaskKinds.transcribe });
        context.logTaskId(taskId);
      },
    };
  };
}

/**
 * Checks the create form as CAMB's FastAPI backend would, collecting every issue.
 *
 * @internal
 * @param form - the parsed form
 * @returns the issues; empty when the form is good
 */
function checkForm(form: FormData): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const language = form.get('language');
  if (language === null) issues.push({ loc: ['body', 'language'], msg: 'Field required', type: 'missing' });
  else checkInteger(language, 'language', issues);
  const folderId = form.get('folder_id');
  if (folderId !== null) checkInteger(folderId, 'folder_id', issues);
  for (const name of ['project_name', 'project_description']) {
    if (form.get(name) !== null && typeof form.get(name) !== 'string') {
      issues.push({ loc: ['body', name], msg: 'Input should be a valid string', type: 'string_type' });
    }
  }
  const file = form.get('media_file');
  const url = form.get('media_url');
  if (file !== null && typeof file === 'string') {
    issues.push({ loc: ['body', 'media_file'], msg: 'Expected UploadFile, received: <class \'str\'>', type: 'value_error' });
  }
  if (url !== null && (typeof url !== 'string' || !isHttpUrl(url))) {
    issues.push({ loc: ['body', 'media_url'], msg: 'Input should be a valid URL', type: 'url_parsing' });
  }
  if ((file === null) === (url === null)) {
    issues.push({ loc: ['body'], msg: 'Provide exactly one of media_file or media_url', type: 'value_error' });
  }
  return issues;
}

function checkInteger(value: FormDataEntryValue, name: string, issues: ValidationIssue[]): void {
  if (typeof value !== 'string' || !/^\s*[+-]?\d+\s*$/.test(value)) {
    const msg = 'Input should be a valid integer, unable to parse string as an integer';
    issues.push({ loc: ['body', name], msg, type: 'int_parsing' });
  }
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
