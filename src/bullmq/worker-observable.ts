import { Worker, type Job, type WorkerOptions } from 'bullmq';
import { Observable, type Subscriber } from 'rxjs';

/**
 * A BullMQ worker as a cold observable: subscribing starts it, unsubscribing closes it gracefully
 * (jobs in progress finish; nothing new is taken). `closing` collects the close promises, so that
 * the owner can wait for them. Connection errors are BullMQ's to recover from (it reconnects).
 */
export function workerObservable<D, R, T>(
  queueName: string,
  process: (job: Job<D>, token: string | undefined, subscriber: Subscriber<T>) => Promise<R>,
  options: WorkerOptions,
  closing: Set<Promise<void>>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    const worker = new Worker<D, R>(queueName, (job, token) => process(job, token, subscriber), options);
    const ignore = () => undefined;
    worker.on('error', ignore);
    return () => {
      const closed = worker.close().catch(ignore).finally(() => {
        worker.off('error', ignore);
        closing.delete(closed);
      });
      closing.add(closed);
    };
  });
}
