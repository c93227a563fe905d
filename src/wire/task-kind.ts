/**
 * The CAMB task kinds whose status is read at `GET /{kind}/{task_id}`, all with one status shape.
 *
 * @example
 * ```ts
 * import { TaskKinds, taskStatus$ } from 'camb-rx';
 * taskStatus$(TaskKinds.dub, taskId, { apiKey }).subscribe(console.log);
 * ```
 */
export const TaskKinds = {
  tts: 'tts',
  translate: 'translate',
  translatedTts: 'translated-tts',
  dub: 'dub',
  dubAltFormat: 'dub-alt-format',
  textToSound: 'text-to-sound',
  textToVoice: 'text-to-voice',
  audioSeparation: 'audio-separation',
  story: 'story',
  translatedStory: 'translated-story',
  projectSetup: 'project-setup',
  transcribe: 'transcribe',
} as const;

/** One CAMB task kind, the first path segment of its status URL. */
export type TaskKind = (typeof TaskKinds)[keyof typeof TaskKinds];

const knownKinds: ReadonlySet<string> = new Set(Object.values(TaskKinds));

/**
 * Tells whether a value is one of the CAMB task kinds.
 *
 * @param value - anything
 * @returns true when `value` is a {@link TaskKind}
 * @example
 * ```ts
 * import { isTaskKind } from 'camb-rx';
 * isTaskKind('dub'); // true
 * ```
 */
export function isTaskKind(value: unknown): value is TaskKind {
  return typeof value === 'string' && knownKinds.has(value);
}
