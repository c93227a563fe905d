/** The exit status of the `camb-rx` command. */
export const ExitCodes = {
  /** Every task succeeded (or help was shown). */
  ok: 0,
  /** A task failed, or could not be followed. */
  failed: 1,
  /** The command line was wrong; nothing was sent. */
  usage: 2,
  /** Interrupted by SIGINT (128 + 2, as shells report it). */
  interrupted: 130,
} as const;

/** One of the {@link ExitCodes}. */
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];
