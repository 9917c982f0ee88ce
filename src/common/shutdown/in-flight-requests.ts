import type { ServerResponse } from 'node:http';
import { AppError, ErrorCode, extensionsOf } from '../errors/app-error';

/**
 * The HTTP requests being answered, for a graceful stop: the server waits for them up to its grace
 * period, then answers those still running with SERVICE_UNAVAILABLE (HTTP 503), so that no client is
 * left without an answer when the process exits.
 */
export class InFlightRequests {
  /** Each response not yet finished, with its request's id. */
  private readonly open = new Map<ServerResponse, string>();
  private drained?: () => void;

  track(res: ServerResponse, requestId: string): void {
    this.open.set(res, requestId);
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
    const unavailable = new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The server is shutting down: please retry.');
    const answered = this.open.size;
    for (const [res, requestId] of this.open) {
      if (res.headersSent) {
        res.destroy();
        continue;
      }
      const body = JSON.stringify({ errors: [{ message: unavailable.message, extensions: { ...extensionsOf(unavailable), requestId } }] });
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
