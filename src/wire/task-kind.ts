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
  /** Text to speech. */
  tts: 'tts',
  /** Text translation. */
  translate: 'translate',
  /** Text translated, then spoken. */
  translatedTts: 'translated-tts',
  /** End-to-end dubbing of a video or audio file. */
  dub: 'dub',
  /** A finished dub exported in another file format. */
  dubAltFormat: 'dub-alt-format',
  /** Sound generated from a text prompt. */
  textToSound: 'text-to-sound',
  /** A voice designed from a text description. */
  textToVoice: 'text-to-voice',
  /** Speech separated from background audio. */
  audioSeparation: 'audio-separation',
  /** A narrated story (audiobook) from a text. */
  story: 'story',
  /** A story translated into another language. */
  translatedStory: 'translated-story',
  /** A dubbing project prepared for editing in CAMB.AI Studio. */
  projectSetup: 'project-setup',
  /** Speech to text; see `transcriptionStatus$` and the transcription functions. */
  transcribe: 'transcribe',
} as const;

/**
 * One CAMB task kind, the first path segment of its status URL.
 *
 * @example
 * ```ts
 * import { isTaskKind, taskStatus$, type TaskKind } from 'camb-rx';
 * const kind: TaskKind = isTaskKind(process.argv[2]) ? process.argv[2] : 'transcribe';
 * taskStatus$(kind, taskId, { apiKey }).subscribe(console.log);
 * ```
 */
export type TaskKind = (typeof TaskKinds)[keyof typeof TaskKinds];

/* Marked pure: a bundle that never checks a kind (`transcriptionStatus$`) drops the set, and then every kind it does not name. */
const knownKinds: ReadonlySet<string> = /* @__PURE__ */ new Set(Object.values(TaskKinds));

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
