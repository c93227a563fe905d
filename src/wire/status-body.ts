import * as z from 'zod/mini';

/** A message is text or a JSON object (not an array): `z.union([z.string(), z.record(…)])` at a fraction of the bundle weight. */
const isMessage = (value: unknown): value is string | Record<string, unknown> =>
  typeof value === 'string' || (typeof value === 'object' && value !== null && !Array.isArray(value));

/**
 * The body of `GET /{kind}/{task_id}`. Only `status` is required; every other field may be absent
 * or null; unknown fields are dropped, never an error. `run_id` is a safe integer (as `z.int()`).
 * The two `z.custom` checks keep the browser bundle small: `z.int()`, `z.union` and `z.record`
 * each pull in more of zod (see BENCHMARKS.md, bundle size).
 */
export const statusBodySchema = z.object({
  status: z.string(),
  run_id: z.nullish(z.custom<number>(Number.isSafeInteger)),
  exception_reason: z.nullish(z.string()),
  message: z.nullish(z.custom<string | Record<string, unknown>>(isMessage)),
});

/** A parsed status body, as CAMB sends it (snake_case). */
export type StatusBody = z.infer<typeof statusBodySchema>;
