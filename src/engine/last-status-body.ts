import { parseBody } from '../http/send-request.js';
import type { Redactor } from '../util/redactor.js';
import { statusBodySchema, type StatusBody } from '../wire/status-body.js';

/**
 * The engine's parse of status bodies, remembering the last one: a body that reads exactly like
 * it (the same text, as the bodies of tasks still pending are, read after read and task after
 * task) gives the same validated value without being parsed again. Every other text is parsed,
 * validated with zod and redacted by {@link parseBody}, and its errors are thrown each time.
 * A body with an object `message` is not remembered, so no object is shared by two statuses.
 *
 * @internal
 */
export class LastStatusBody {
  private text: string | undefined = undefined;
  private body: StatusBody | undefined = undefined;

  /** @param redact - the connection's redactor */
  constructor(private readonly redact: Redactor) {}

  /**
   * @param text - a 2xx status body
   * @param url - the request URL, for the error
   * @returns the validated, redacted body
   * @throws CambSchemaError for a body that is not JSON or breaks the contract
   */
  parse(text: string, url: string): StatusBody {
    if (text === this.text) return this.body as StatusBody;
    const body = parseBody(text, statusBodySchema, url, this.redact);
    if (typeof body.message !== 'object' || body.message === null) {
      this.text = text;
      this.body = body;
    }
    return body;
  }
}
