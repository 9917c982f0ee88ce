import type { ServerResponse } from 'node:http';
import { AppError, ErrorCode, msg } from '../errors/app-error';
import { errorBody } from '../errors/format-error';
import { DEFAULT_LOCALE, Locale } from '../../i18n/locale';

/**
 * The HTTP requests being answered, for a graceful stop: the server waits for them up to its grace
 * period, then answers those still running with SERVICE_UNAVAILABLE (HTTP 503), so that no client is
 * left without an answer when the process exits.
 */
export class InFlightRequests {
  /** Each response not yet finished, with its request's id. */
  private readonly open = new Map<ServerResponse, { requestId: string; locale: Locale }>();
  private drained?: () => void;

  /** `locale`: the language the 503 of a shutdown is answered in (the request's Accept-Language). */
  track(res: ServerResponse, requestId: string, locale: Locale = DEFAULT_LOCALE): void {
    this.open.set(res, { requestId, locale });
    res.once('close', () => {
      this.open.delete(res);
      if (this.open.size === 0) this.drained?.();
    });
  }

  get count(): number {
    return this.open.size;
  }

  /** Resolves once every request has been answered (true) or `graceMs` has passed (false), whichever comes first. */
  settle(graceMs: number): Promise<boolean> {
    if (this.open.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.drained = undefined;
        resolve(false);
      }, graceMs);
      this.drained = () => {
        clearTimeout(timer);
        this.drained = undefined;
        resolve(true);
      };
    });
  }

  /**
   * Answers every request still running with 503 SERVICE_UNAVAILABLE (retryable) and closes its
   * connection; a response already begun can only be cut. Returns how many were answered so.
   */
  answerRemaining(): number {
    const unavailable = new AppError(ErrorCode.SERVICE_UNAVAILABLE, msg('errors.unavailable.shuttingDown'));
    const answered = this.open.size;
    for (const [res, { requestId, locale }] of this.open) {
      if (res.headersSent) {
        res.destroy();
        continue;
      }
      const body = JSON.stringify(errorBody(unavailable, locale, { requestId }));
      res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', connection: 'close' });
      res.end(body);
      dropLaterWrites(res);
    }
    return answered;
  }
}

/**
 * The handler of a request answered at the deadline may still finish later (its database statement cut,
 * for instance): what it writes then is dropped, rather than failing with "headers already sent".
 */
function dropLaterWrites(res: ServerResponse): void {
  const ignored = () => res;
  Object.assign(res, { setHeader: ignored, writeHead: ignored, removeHeader: () => undefined, flushHeaders: () => undefined, write: () => true, end: ignored });
}
