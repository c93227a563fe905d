import { createInterface } from 'node:readline';
import { EMPTY, Observable, concat, distinct, from } from 'rxjs';

/**
 * The task ids to watch: those of the command line, then the lines of `stdin` as they come (blank
 * lines skipped, whitespace trimmed), each id once. Unsubscribing stops reading stdin.
 *
 * @param ids - ids from the command line
 * @param stdin - the stream to read more ids from, if any
 * @returns the ids
 */
export function taskIds$(ids: readonly string[], stdin: NodeJS.ReadableStream | undefined): Observable<string> {
  return concat(from(ids), stdin ? lines$(stdin) : EMPTY).pipe(distinct());
}

/** The non-blank lines of a stream, trimmed; completes at its end. */
function lines$(input: NodeJS.ReadableStream): Observable<string> {
  return new Observable<string>((subscriber) => {
    const reader = createInterface({ input, crlfDelay: Infinity });
    const onLine = (line: string) => {
      const id = line.trim();
      if (id !== '') subscriber.next(id);
    };
    const onError = (error: unknown) => subscriber.error(error);
    const onClose = () => subscriber.complete();
    reader.on('line', onLine).on('close', onClose);
    input.on('error', onError);
    return () => {
      reader.off('line', onLine).off('close', onClose);
      input.off('error', onError);
      reader.close();
    };
  });
}
