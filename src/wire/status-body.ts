import * as z from 'zod/mini';

/**
 * The body of `GET /{kind}/{task_id}`. Only `status` is required; every other field may be absent
 * or null; unknown fields are dropped, never an error.
 */
export const statusBodySchema = z.object({
  status: z.string(),
  run_id: z.optional(z.nullable(z.int())),
  exception_reason: z.optional(z.nullable(z.string())),
  message: z.optional(z.nullable(z.union([z.string(), z.record(z.string(), z.unknown())]))),
});

/** A parsed status body, as CAMB sends it (snake_case). */
export type StatusBody = z.infer<typeof statusBodySchema>;
