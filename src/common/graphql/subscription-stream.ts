import { LiveStatus } from '../../realtime/live-status';

const notices = new WeakSet<object>();

/**
 * What a subscriber receives when live delivery pauses or resumes: `extensions.live` says which, and
 * a pause also carries a retryable SERVICE_UNAVAILABLE error. Already in the shape sent to clients.
 */
export function liveNotice(up: boolean, pausedError: { message: string; extensions: Record<string, unknown> }): object {
  const notice = up ? { extensions: { live: 'RESUMED' } } : { errors: [pausedError], extensions: { live: 'PAUSED' } };
  notices.add(notice);
  return notice;
}

export function isLiveNotice(value: unknown): boolean {
  return typeof value === 'object' && value !== null && notices.has(value);
}

export interface StreamOptions<T> {
  live: LiveStatus;
  /** What to slip in when live delivery pauses (false) or resumes (true). */
  notice(up: boolean): T;
  /** Items waiting for a client that does not read fast enough, before `onOverflow`. */
  maxQueued: number;
  onOverflow(): void;
}

/**
 * A subscription's results as graphql-ws sends them. The source is drained as events arrive, into a
 * queue of at most `maxQueued` items: graphql-ws waits for each message to be written before asking for
 * the next, so without this an unread client would make the events pile up, unbounded, inside the
 * pub/sub iterator. Notices of paused and resumed live delivery join the same queue, in order (one at
 * once if live delivery is paused when the subscription starts). `return()` passes through to the
 * source, so ending the subscription unsubscribes it.
 */
export function subscriptionStream<T>(source: AsyncIterator<T>, options: StreamOptions<T>): AsyncIterableIterator<T> {
  const queue: IteratorResult<T>[] = [];
  let failure: { error: unknown } | undefined;
  let finished = false;
  let wake: (() => void) | undefined;
  const ended: IteratorResult<T> = { value: undefined, done: true };

  const push = (item: IteratorResult<T>) => {
    if (finished) return;
    if (!item.done && queue.length >= options.maxQueued) {
      finish();
      options.onOverflow();
      return;
    }
    queue.push(item);
    wake?.();
  };
  const stopWatching = options.live.onChange((up) => push({ value: options.notice(up), done: false }));
  const finish = () => {
    if (finished) return;
    finished = true;
    stopWatching();
    wake?.();
    void Promise.resolve(source.return?.()).catch(() => undefined);
  };
  if (!options.live.up) push({ value: options.notice(false), done: false });

  void (async () => {
    try {
      for (;;) {
        const item = await source.next();
        if (finished) return;
        push(item);
        if (item.done) return;
      }
    } catch (error) {
      failure = { error };
      wake?.();
    }
  })();

  return {
    async next(): Promise<IteratorResult<T>> {
      for (;;) {
        const item = queue.shift();
        if (item) {
          if (item.done) finish();
          return item;
        }
        if (failure) {
          finish();
          throw failure.error;
        }
        if (finished) return ended;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    async return(): Promise<IteratorResult<T>> {
      finish();
      queue.length = 0;
      return ended;
    },
    async throw(error?: unknown): Promise<IteratorResult<T>> {
      finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
