import * as z from 'zod/v4/core';

/** A message is text or a JSON object (not an array): `z.union([z.string(), z.record(…)])` at a fraction of the bundle weight. */
const isMessage = (value: unknown): value is string | Record<string, unknown> =>
  typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value));

/* Built from zod's core, the engine under `zod/mini`: the same checks and issues, without the
   methods `zod/mini` adds to every schema, which a bundle carries whether or not it calls them. */
const custom = <T>(check: (value: unknown) => boolean) => new z.$ZodCustom({ type: 'custom', check: 'custom', fn: check }) as z.$ZodCustom<T>;
/** `z.nullish(z.custom(check))`, with null let through by the check rather than by zod's nullable schema: one schema type fewer in every bundle. */
const nullish = <T>(check: (value: unknown) => boolean) =>
  new z.$ZodOptional({ type: 'optional', innerType: custom<T | null>((value) => value === null || check(value)) }) as z.$ZodOptional<z.$ZodCustom<T | null>>;
const object = <T extends z.$ZodShape>(shape: T) => new z.$ZodObject({ type: 'object', shape }) as z.$ZodObject<T, z.$strip>;

/**
 * The body of `GET /{kind}/{task_id}`. Only `status` is required; every other field may be absent
 * or null; unknown fields are dropped, never an error. `run_id` is a safe integer (as `z.int()`).
 * Parse it with zod's `safeParse(statusBodySchema, body)`. The custom checks keep the browser
 * bundle small: `z.int()`, `z.union`, `z.record` and `z.nullable` each pull in more of zod (see
 * BENCHMARKS.md, bundle size).
 */
export const statusBodySchema = object({
  status: new z.$ZodString({ type: 'string' }),
  run_id: nullish<number>(Number.isSafeInteger),
  exception_reason: nullish<string>((value) => typeof value === 'string'),
  message: nullish<string | Record<string, unknown>>(isMessage),
});

/** A parsed status body, as CAMB sends it (snake_case). */
export type StatusBody = z.output<typeof statusBodySchema>;
