import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { WebSocket } from 'ws';
import { Viewer } from '../common/context/request-context';
import { EventBus } from './event-bus';
import { WS_CLOSE_UNAUTHORIZED } from './ws-close-codes';

const ACCOUNT_CHANGED = 'accountChanged';

/** An account's roles as they cross the event bus (plain JSON). */
export interface AccountRoles {
  isAdmin: boolean;
  hostOf: string[];
  residentOf: string | null;
}

/** What happened to an account that its open WebSockets must follow. */
export type AccountChange = { userId: string } & ({ kind: 'SESSION_ENDED'; sessionId: string } | { kind: 'ROLES_CHANGED'; roles: AccountRoles });

interface Tracked {
  socket: WebSocket;
  viewer: Viewer;
}

/**
 * The GraphQL WebSockets each account has open on this instance. A socket reads who its account is
 * once, when it connects; without this, one signed out on a shared computer would go on receiving
 * events until the access token expires, and a host whose appointment was removed would keep seeing
 * what hosts see. A session's end closes its sockets; a change of roles updates the viewer that every
 * subscription on the socket checks each event against. Changes cross instances on the event bus
 * (while Redis is down they are lost: token expiry still ends the socket).
 */
@Injectable()
export class AccountSockets implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly byUser = new Map<string, Set<Tracked>>();
  private changes?: AsyncIterableIterator<AccountChange>;

  constructor(private readonly events: EventBus) {}

  onApplicationBootstrap(): void {
    const changes = this.events.subscribe<AccountChange>(ACCOUNT_CHANGED);
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

  /** Follows a signed-in socket until it closes; `viewer` is the object its operations' contexts share. */
  track(socket: WebSocket, viewer: Viewer): void {
    const entry = { socket, viewer };
    const sockets = this.byUser.get(viewer.id) ?? new Set();
    sockets.add(entry);
    this.byUser.set(viewer.id, sockets);
    socket.once('close', () => {
      sockets.delete(entry);
      if (sockets.size === 0 && this.byUser.get(viewer.id) === sockets) this.byUser.delete(viewer.id);
    });
  }

  /**
   * Tells every instance; call it after the change has committed. The new roles travel with the
   * change and are applied as it arrives, so an event published after it is already checked against them.
   */
  announce(change: AccountChange): void {
    this.events.publish(ACCOUNT_CHANGED, change);
  }

  private apply(change: AccountChange): void {
    for (const { socket, viewer } of this.byUser.get(change.userId) ?? []) {
      if (change.kind === 'ROLES_CHANGED') {
        Object.assign(viewer, { isAdmin: change.roles.isAdmin, hostOf: new Set(change.roles.hostOf), residentOf: change.roles.residentOf });
      } else if (viewer.sessionId === change.sessionId && socket.readyState === socket.OPEN) {
        socket.close(WS_CLOSE_UNAUTHORIZED, 'Unauthorized: this session has ended');
      }
    }
  }
}
