import { describe, expect, it, vi } from 'vitest';
import { LastStatusBody } from '../../src/engine/last-status-body.js';
import { CambSchemaError } from '../../src/index.js';
import { createRedactor } from '../../src/util/redactor.js';

const key = 'sk-live-4f9a1c2e8b7d';
const url = 'https://client.camb.ai/apis/transcribe/t1';
const pending = '{"status":"PENDING","run_id":null,"exception_reason":null,"message":null}';

describe('LastStatusBody', () => {
  it('parses and validates a text once: the same text again gives the same value, not parsed again', () => {
    const bodies = new LastStatusBody(createRedactor([key]));
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const first = bodies.parse(pending, url);
      expect(first).toEqual({ status: 'PENDING', run_id: null, exception_reason: null, message: null });
      expect(bodies.parse(`${pending}`, url)).toBe(first);
      expect(parse).toHaveBeenCalledTimes(1);
      expect(bodies.parse('{"status":"SUCCESS","run_id":7}', url)).toEqual({ status: 'SUCCESS', run_id: 7 });
      expect(parse).toHaveBeenCalledTimes(2);
    } finally {
      parse.mockRestore();
    }
  });

  it('throws CambSchemaError for every body that breaks the contract, however often it comes', () => {
    const bodies = new LastStatusBody(createRedactor([key]));
    for (let i = 0; i < 2; i++) {
      expect(() => bodies.parse('{"status":1}', url)).toThrow(CambSchemaError);
      expect(() => bodies.parse('not json', url)).toThrow(CambSchemaError);
    }
  });

  it('redacts the key from a body, and never shares a message object between two reads', () => {
    const bodies = new LastStatusBody(createRedactor([key]));
    const leaky = `{"status":"ERROR","message":"bad key ${key}"}`;
    expect(bodies.parse(leaky, url)).toEqual({ status: 'ERROR', message: 'bad key [redacted]' });
    expect(bodies.parse(leaky, url)).toEqual({ status: 'ERROR', message: 'bad key [redacted]' });
    const withObject = '{"status":"ERROR","message":{"detail":"no credit"}}';
    const first = bodies.parse(withObject, url);
    const second = bodies.parse(withObject, url);
    expect(second).toEqual(first);
    expect(second.message).not.toBe(first.message);
  });
});
