import { FaultTypes, type Fault, type FaultType } from './fault.js';
import {
  describeValue,
  isRecord,
  refuseUnknownKeys,
  requireInteger,
  requireNumber,
  requireString,
} from './option-checks.js';

const faultTypeValues: ReadonlySet<string> = new Set(Object.values(FaultTypes));

/** The properties each fault type accepts, besides `type`. */
const faultKeys: Readonly<Record<FaultType, readonly string[]>> = {
  http: ['status', 'body', 'headers', 'retryAfter'],
  'reset-before-headers': [],
  'reset-mid-body': [],
  hang: [],
  drip: ['bytesPerChunk', 'chunkIntervalMs'],
  delay: ['ms'],
  'malformed-json': [],
  'html-error': ['status'],
  oversize: ['bytes'],
  'wrong-content-type': [],
  body: ['status', 'body', 'contentType'],
};

/**
 * Checks that a value is a well-formed {@link Fault}.
 *
 * @internal
 * @param value - the candidate fault
 * @param name - where it came from, for the message (e.g. `tasks[0].faults[2]`)
 * @returns the fault, typed
 * @throws TypeError naming the bad property
 */
export function validateFault(value: unknown, name: string): Fault {
  if (!isRecord(value)) throw new TypeError(`${name} must be a fault object, got ${describeValue(value)}`);
  const type = value['type'];
  if (typeof type !== 'string' || !faultTypeValues.has(type)) {
    throw new TypeError(`${name}.type must be one of ${[...faultTypeValues].join(', ')}, got ${describeValue(type)}`);
  }
  const faultType = type as FaultType;
  refuseUnknownKeys(value, name, ['type', ...faultKeys[faultType]]);
  const optional = (key: string, check: (v: unknown, n: string) => unknown): void => {
    if (value[key] !== undefined) check(value[key], `${name}.${key}`);
  };
  switch (faultType) {
    case 'http':
      requireInteger(value['status'], `${name}.status`, 200, 599);
      optional('headers', validateHeaders);
      optional('retryAfter', validateRetryAfter);
      break;
    case 'drip':
      optional('bytesPerChunk', (v, n) => requireInteger(v, n, 1));
      optional('chunkIntervalMs', (v, n) => requireNumber(v, n));
      break;
    case 'delay':
      requireNumber(value['ms'], `${name}.ms`);
      break;
    case 'html-error':
      optional('status', (v, n) => requireInteger(v, n, 400, 599));
      break;
    case 'oversize':
      requireInteger(value['bytes'], `${name}.bytes`, 0);
      break;
    case 'body':
      requireString(value['body'], `${name}.body`);
      optional('status', (v, n) => requireInteger(v, n, 200, 599));
      optional('contentType', (v, n) => requireHeaderValue(v, n));
      break;
    default:
      break;
  }
  return value as unknown as Fault;
}

function validateHeaders(value: unknown, name: string): void {
  if (!isRecord(value)) throw new TypeError(`${name} must be an object of header names to strings`);
  for (const [key, header] of Object.entries(value)) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(key)) throw new TypeError(`${name} has an invalid header name "${key}"`);
    requireHeaderValue(header, `${name}["${key}"]`);
  }
}

function requireHeaderValue(value: unknown, name: string): void {
  if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
    throw new TypeError(`${name} must be a header value string without line breaks, got ${describeValue(value)}`);
  }
}

function validateRetryAfter(value: unknown, name: string): void {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError(`${name} must be a valid Date`);
    return;
  }
  requireNumber(value, name);
}
