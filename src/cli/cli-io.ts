/** Where the CLI writes: a stream, and what it knows of the terminal behind it. */
export interface OutputStream {
  write(text: string): unknown;
  /** True when the stream is a terminal. */
  readonly isTTY?: boolean | undefined;
  /** The terminal's width in characters. */
  readonly columns?: number | undefined;
  /** The terminal's height in lines. */
  readonly rows?: number | undefined;
}

/** The process the CLI runs in, passed in so that tests can use their own streams. */
export interface CliIo {
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly env: Readonly<Record<string, string | undefined>>;
}
