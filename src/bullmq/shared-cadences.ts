import type { RedisClient } from 'bullmq';
import { adaptiveCadence, type AdaptiveCadence, type AdaptiveCadenceOptions } from '../cadence/adaptive-cadence.js';
import type { CadenceSnapshot } from '../cadence/cadence-snapshot.js';
import type { CadenceObservation } from '../cadence/poll-cadence.js';
import { TaskKinds, type TaskKind } from '../wire/task-kind.js';

/** Observations kept per task kind in Redis (approximate trimming: Redis may keep up to a hundred more). */
export const MAX_SHARED_OBSERVATIONS = 5000;
/** How often a worker process folds in the observations every worker appended. */
export const CADENCE_SYNC_MS = 1000;
/** How often a worker process writes its learned state, when it learned something since. */
const CADENCE_SNAPSHOT_MS = 10_000;

/** The Redis keys of one kind's shared cadence, under the queue's keys. */
export function cadenceKeys(queueKey: string, kind: TaskKind): { readonly log: string; readonly snapshot: string } {
  return { log: `${queueKey}:cadence:${kind}:log`, snapshot: `${queueKey}:cadence:${kind}:snapshot` };
}

/** What the snapshot key holds: the learned state, and the id of the last observation folded into it. */
interface StoredSnapshot {
  readonly through: string;
  readonly snapshot: CadenceSnapshot;
}

/**
 * Writes the snapshot unless the key holds one that folded later observations (stream ids compared
 * as `ms-seq`), so that a slow writer never sets the shared state back.
 */
const SET_IF_LATER = `
local current = redis.call('GET', KEYS[1])
if current then
  local ms, seq = string.match(cjson.decode(current).through, '^(%d+)-(%d+)$')
  local newMs, newSeq = string.match(ARGV[1], '^(%d+)-(%d+)$')
  if tonumber(ms) > tonumber(newMs) or (tonumber(ms) == tonumber(newMs) and tonumber(seq) >= tonumber(newSeq)) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2])
return 1`;
const SET_IF_LATER_COMMAND = 'cambRxSetCadenceSnapshotIfLater';

/** One kind's cadence in this process and where it stands in the shared log. */
interface KindState {
  cadence: AdaptiveCadence;
  /** The id of the last log entry folded in (`0-0`: none). */
  cursor: string;
  /** Whether observations were folded in since the snapshot was last written. */
  learned: boolean;
}

/** Task ids remembered to fold each task's outcome once, when a crash made a worker report it twice. */
const REMEMBERED_TASKS = 2 * MAX_SHARED_OBSERVATIONS;

/**
 * One adaptive cadence per task kind whose learned state every worker of the queue shares through
 * Redis, with no lock and no leader:
 *
 * - A worker that ends a watch appends what it saw (`XADD … MAXLEN ~ 5000`) to the kind's log, a
 *   Redis stream under the queue's keys: `[runningAtMs, finishedByMs]` and the task's job id.
 * - Every second each worker process reads the log past its cursor and folds the new entries into
 *   its own `adaptiveCadence`, in log order, and only those: the cursor makes folding idempotent,
 *   and a task reported twice (a worker killed between reporting and completing its job) is folded
 *   once. The cadence is deterministic, so every worker that folded the same log plans the same
 *   schedule; each plans its reads from that local copy, with no Redis call.
 * - Every ten seconds a worker that learned something writes `snapshot()` with the id of the last
 *   entry folded into it (a script keeps the latest). A starting worker resumes from that snapshot
 *   and folds the log past its id, which is the state of the workers already running: a restart, a
 *   crash or a deploy of every worker loses nothing older than the last snapshot, and the log
 *   since then fills the gap.
 *
 * Redis memory is bounded: per kind, at most about 5,000 log entries (about 85 bytes each with
 * UUID task ids) and one snapshot (about 30 kB). A worker that falls more than 5,000 observations behind skips the
 * trimmed ones. Lost Redis writes cost learning only, never a watch.
 */
export class SharedCadences {
  private readonly kinds = new Map<TaskKind, KindState>();
  private readonly folded = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastSnapshotAt = 0;
  private syncing: Promise<void> | undefined;
  private loaded: Promise<void> | undefined;
  private users = 0;

  /**
   * @param client - resolves to the Redis connection to use (the polls queue's)
   * @param queueKey - the queue's key prefix, `{prefix}:{queueName}`
   * @param options - the adaptive cadence options of each kind
   */
  constructor(
    private readonly client: () => Promise<RedisClient>,
    private readonly queueKey: string,
    private readonly options: Partial<Record<TaskKind, AdaptiveCadenceOptions>>,
  ) {}

  /** The delay before the next read of a task of `kind` whose latest read, at age `ageMs`, was pending. */
  nextDelayMs(kind: TaskKind, ageMs: number): number {
    return this.state(kind).cadence.nextDelayMs(ageMs);
  }

  /** Appends one watch's outcome to the kind's shared log; every worker folds it in at its next sync. */
  observe(kind: TaskKind, jobId: string, { runningAtMs, finishedByMs }: CadenceObservation): Promise<void> {
    const fields = { t: jobId, r: Math.round(runningAtMs), ...(finishedByMs !== undefined && { f: Math.round(finishedByMs) }) };
    return this.client()
      .then((redis) => redis.xadd(cadenceKeys(this.queueKey, kind).log, '*', fields, { MAXLEN: MAX_SHARED_OBSERVATIONS, approximate: true }))
      .then(
        () => undefined,
        () => undefined, // an observation lost costs learning, never a watch
      );
  }

  /** The cadence of `kind` in this process (for tests and for `snapshot()`). */
  cadence(kind: TaskKind): AdaptiveCadence {
    return this.state(kind).cadence;
  }

  /**
   * Loads the shared state (on the first call) and syncs every second until as many `stop()`s as
   * `start()`s: each running worker of the process holds it.
   */
  async start(): Promise<void> {
    this.users++;
    if (this.users === 1) {
      this.timer = setInterval(() => void this.sync().catch(() => undefined), CADENCE_SYNC_MS);
      this.timer.unref?.();
    }
    this.loaded ??= this.load().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    await this.loaded;
  }

  /** Ends one `start()`; the last one stops the timer and writes what this process learned. */
  async stop(): Promise<void> {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0) return;
    clearInterval(this.timer);
    this.timer = undefined;
    await this.syncing;
    await this.writeSnapshots().catch(() => undefined);
  }

  /** Reads every kind's snapshot and folds its log past it. */
  private async load(): Promise<void> {
    const redis = await this.client();
    const kinds = Object.values(TaskKinds);
    redis.defineCommand(SET_IF_LATER_COMMAND, { numberOfKeys: 1, lua: SET_IF_LATER });
    const stored = await Promise.all(kinds.map((kind) => redis.get(cadenceKeys(this.queueKey, kind).snapshot)));
    kinds.forEach((kind, i) => {
      const saved = parseStored(stored[i]);
      const options = this.options[kind];
      let cadence: AdaptiveCadence;
      try {
        cadence = adaptiveCadence(saved ? { ...options, snapshot: saved.snapshot } : options);
      } catch {
        cadence = adaptiveCadence(options); // a snapshot of another version: start over
      }
      this.kinds.set(kind, { cadence, cursor: saved?.through ?? '0-0', learned: false });
    });
    await this.sync();
  }

  /** Folds the new entries of every kind's log (one `XREAD` for all kinds), then maybe writes snapshots. */
  sync(): Promise<void> {
    this.syncing ??= this.fold().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async fold(): Promise<void> {
    const kinds = [...this.kinds.keys()];
    if (kinds.length === 0) return; // not loaded yet
    const redis = await this.client();
    for (;;) {
      const streams = kinds.map((kind) => ({ key: cadenceKeys(this.queueKey, kind).log, id: this.kinds.get(kind)!.cursor }));
      const read = (await redis.xread(streams, { COUNT: 1000 })) as
        | [string, [string, string[]][]][]
        | null;
      if (read === null) break;
      let more = false;
      for (const [key, entries] of read) {
        const state = this.kinds.get(kinds.find((kind) => cadenceKeys(this.queueKey, kind).log === key)!)!;
        for (const [id, fields] of entries) this.foldEntry(state, id, fields);
        more ||= entries.length === 1000;
      }
      if (!more) break;
    }
    if (Date.now() - this.lastSnapshotAt >= CADENCE_SNAPSHOT_MS) await this.writeSnapshots();
  }

  private foldEntry(state: KindState, id: string, fields: string[]): void {
    state.cursor = id;
    const field = (name: string) => {
      const at = fields.indexOf(name);
      return at >= 0 && at % 2 === 0 ? fields[at + 1] : undefined;
    };
    const task = field('t');
    if (task === undefined || this.folded.has(task)) return;
    this.folded.add(task);
    if (this.folded.size > REMEMBERED_TASKS) this.folded.delete(this.folded.values().next().value!);
    const runningAtMs = Number(field('r'));
    const finished = field('f');
    state.cadence.observe(finished === undefined ? { runningAtMs } : { runningAtMs, finishedByMs: Number(finished) });
    state.learned = true;
  }

  private async writeSnapshots(): Promise<void> {
    this.lastSnapshotAt = Date.now();
    const redis = await this.client();
    for (const [kind, state] of this.kinds) {
      if (!state.learned) continue;
      state.learned = false;
      const stored: StoredSnapshot = { through: state.cursor, snapshot: state.cadence.snapshot() };
      await redis.runCommand(SET_IF_LATER_COMMAND, [cadenceKeys(this.queueKey, kind).snapshot, state.cursor, JSON.stringify(stored)]);
    }
  }

  private state(kind: TaskKind): KindState {
    let state = this.kinds.get(kind);
    if (!state) this.kinds.set(kind, (state = { cadence: adaptiveCadence(this.options[kind]), cursor: '0-0', learned: false }));
    return state;
  }
}

/** The stored snapshot, or `undefined` when there is none or it cannot be read. */
function parseStored(value: string | null | undefined): StoredSnapshot | undefined {
  if (value === null || value === undefined) return undefined;
  try {
    const parsed = JSON.parse(value) as Partial<StoredSnapshot>;
    return typeof parsed.through === 'string' && typeof parsed.snapshot === 'object' && parsed.snapshot !== null ? (parsed as StoredSnapshot) : undefined;
  } catch {
    return undefined;
  }
}
