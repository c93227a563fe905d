import { isPlatformServer } from '@angular/common';
import { PLATFORM_ID, inject, signal, type Signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { catchError, map, of } from 'rxjs';
import type { StreamOptions, TaskStatus } from 'camb-rx';
import { CAMB_CLIENT } from './camb.providers.js';

/**
 * What a template shows for one transcription: nothing read yet, a status (`done` once it is
 * terminal: SUCCESS, or a failed task such as ERROR), or why the status could not be learned.
 *
 * @example
 * ```ts
 * const label = (s: TranscriptionState) => (s.phase === 'error' ? s.message : s.phase === 'waiting' ? '…' : s.status.status);
 * ```
 */
export type TranscriptionState =
  | { readonly phase: 'waiting' }
  | { readonly phase: 'polling' | 'done'; readonly status: TaskStatus }
  | { readonly phase: 'error'; readonly error: unknown; readonly message: string };

const waiting: TranscriptionState = { phase: 'waiting' };

/**
 * The status of one transcription task as a signal, polled until it is done. Call it in an
 * injection context (a component field): polling stops, and the request in flight is cancelled,
 * when that component or injector is destroyed (`toSignal` unsubscribes through its `DestroyRef`).
 * Stream errors become an `error` state, so reading the signal never throws. On the server it
 * stays `waiting` and sends nothing: pending timers would hold back rendering.
 *
 * @param taskId - the id `createTranscription$` returned
 * @param options - polling options, e.g. `{ timeoutMs: 600_000 }`
 * @returns a read-only signal of {@link TranscriptionState}
 * @example
 * ```ts
 * @Component({ template: `@if (status(); as s) { {{ s.phase }} }` })
 * export class TaskPage {
 *   readonly status = injectTranscriptionStatus(inject(ActivatedRoute).snapshot.params['id']);
 * }
 * ```
 */
export function injectTranscriptionStatus(taskId: string, options?: StreamOptions): Signal<TranscriptionState> {
  const camb = inject(CAMB_CLIENT);
  if (isPlatformServer(inject(PLATFORM_ID))) return signal(waiting).asReadonly();
  const state$ = camb.transcriptionStatus$(taskId, options).pipe(
    map((status): TranscriptionState => ({ phase: status.done ? 'done' : 'polling', status })),
    catchError((error: unknown) => of<TranscriptionState>({ phase: 'error', error, message: error instanceof Error ? error.message : String(error) })),
  );
  return toSignal(state$, { initialValue: waiting });
}
