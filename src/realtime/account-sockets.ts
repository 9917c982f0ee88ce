import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { EventBus } from './event-bus';
import { WS_CLOSE_UNAUTHORIZED } from './ws-close-codes';

const ACCOUNT_CHANGED = 'accountChanged';

/** A sign-in session that ended (sign-out, refresh token reuse): its open WebSockets must close. */
export interface SessionEnded {
  kind: 'SESSION_ENDED';
  userId: string;
  sessionId: string;
}

interface Tracked {
  socket: WebSocket;
  sessionId: string;
}

/**
 * The GraphQL WebSockets each account has open on this instance, so that a session's end closes its
 * sockets at once: one signed out on a shared computer must not go on receiving events. Ends cross
 * instances on the event bus; while Redis is down they are lost, and the socket learns of the end at
 * its next event instead (every event re-reads its subscriber's session and roles) or when its access
 * token expires.
 */
@Injectable()
export class AccountSockets implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly byUser = new Map<string, Set<Tracked>>();
  private changes?: AsyncIterableIterator<SessionEnded>;

  constructor(private readonly events: EventBus) {}

  onApplicationBootstrap(): void {
    const changes = this.events.subscribe<SessionEnded>(ACCOUNT_CHANGED);
    this.changes = changes;
    void (async () => {
      for await (const change of changes) this.apply(change);
    })();
  }

  onApplicationShutdown(): void {
    // Not awaited: with Redis down, unsubscribing waits for a reconnect that may never come, and the
    // event bus closes the connections anyway.
    void this.changes?.return?.()?.catch(() => undefined);
  }

  /** Follows a signed-in socket until it closes. */
  track(socket: WebSocket, userId: string, sessionId: string): void {
    const entry = { socket, sessionId };
    const sockets = this.byUser.get(userId) ?? new Set();
    sockets.add(entry);
    this.byUser.set(userId, sockets);
    socket.once('close', () => {
      sockets.delete(entry);
      if (sockets.size === 0 && this.byUser.get(userId) === sockets) this.byUser.delete(userId);
    });
  }

  /** Tells every instance; call it after the end has committed. */
  announce(change: SessionEnded): void {
    this.events.publish(ACCOUNT_CHANGED, change);
  }

  private apply(change: SessionEnded): void {
    for (const { socket, sessionId } of this.byUser.get(change.userId) ?? []) {
      if (sessionId === change.sessionId) closeEndedSession(socket);
    }
  }
}

/** Closes a socket whose sign-in session has ended (4401: sign in again). */
export function closeEndedSession(socket: WebSocket): void {
  if (socket.readyState === socket.OPEN) socket.close(WS_CLOSE_UNAUTHORIZED, 'Unauthorized: this session has ended');
}
