import * as z from 'zod/v4/core';

/** A message is text or a JSON object (not an array): `z.union([z.string(), z.record(…)])` at a fraction of the bundle weight. */
const isMessage = (value: unknown): value is string | Record<string, unknown> =>
  typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value));

/* Built from zod's core, the engine under `zod/mini`: the same checks and issues, without the
   methods `zod/mini` adds to every schema, which a bundle carries whether or not it calls them. */
const text = (): z.$ZodString => new z.$ZodString({ type: 'string' });
const custom = <T>(check: (value: unknown) => boolean) => new z.$ZodCustom({ type: 'custom', check: 'custom', fn: check }) as z.$ZodCustom<T>;
const nullish = <T extends z.$ZodType>(inner: T) =>
  new z.$ZodOptional({ type: 'optional', innerType: new z.$ZodNullable({ type: 'nullable', innerType: inner }) }) as z.$ZodOptional<z.$ZodNullable<T>>;
const object = <T extends z.$ZodShape>(shape: T) => new z.$ZodObject({ type: 'object', shape }) as z.$ZodObject<T, z.$strip>;

/**
 * The body of `GET /{kind}/{task_id}`. Only `status` is required; every other field may be absent
 * or null; unknown fields are dropped, never an error. `run_id` is a safe integer (as `z.int()`).
 * Parse it with zod's `safeParse(statusBodySchema, body)`. The two custom checks keep the browser
 * bundle small: `z.int()`, `z.union` and `z.record` each pull in more of zod (see BENCHMARKS.md,
 * bundle size).
 */
export const statusBodySchema = object({
  status: text(),
  run_id: nullish(custom<number>(Number.isSafeInteger)),
  exception_reason: nullish(text()),
  message: nullish(custom<string | Record<string, unknown>>(isMessage)),
});

/** A parsed status body, as CAMB sends it (snake_case). */
export type StatusBody = z.output<typeof statusBodySchema>;
