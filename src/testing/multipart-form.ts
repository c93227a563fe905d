import { createHash } from 'node:crypto';
import type { LoggedFormValue } from './request-log-entry.js';

/** Files up to this size keep their bytes in the request log. */
const loggedBytesCap = 1024;

/**
 * Parses a multipart/form-data body with Node's built-in undici `Request`.
 *
 * @internal
 * @param contentType - the request's `content-type` header
 * @param body - the whole body
 * @returns the form, or undefined when the body is not multipart or cannot be parsed
 */
export async function parseMultipart(contentType: string | undefined, body: Buffer): Promise<FormData | undefined> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  try {
    const bytes = new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    return await new Request('http://simulator.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body: bytes,
    }).formData();
  } catch {
    return undefined;
  }
}

/**
 * Describes a form for the request log: strings as they are, files by name, type, size and
 * SHA-256 (with their bytes when small). A repeated field keeps its last value.
 *
 * @internal
 * @param form - the parsed form
 * @param redact - scrubs the API key from strings
 * @returns the logged fields
 */
export async function logForm(form: FormData, redact: (text: string) => string): Promise<Record<string, LoggedFormValue>> {
  const logged: Record<string, LoggedFormValue> = {};
  for (const [name, value] of form) {
    if (typeof value === 'string') {
      logged[redact(name)] = redact(value);
      continue;
    }
    const bytes = new Uint8Array(await value.arrayBuffer());
    logged[redact(name)] = {
      fileName: redact(value.name),
      type: value.type,
      size: bytes.byteLength,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      ...(bytes.byteLength <= loggedBytesCap ? { bytes } : {}),
    };
  }
  return logged;
}
