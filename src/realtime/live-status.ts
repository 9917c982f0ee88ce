import { Injectable } from '@nestjs/common';

type Listener = (up: boolean) => void;

/**
 * Whether live events can travel right now. In memory they always can; with Redis, only while both
 * the publishing and the subscribing connection are up. Subscriptions tell their clients when this
 * changes (see `subscriptionStream` in common/graphql), so an app can show "live updates paused" and refetch when they resume:
 * events published during an outage are not replayed.
 */
@Injectable()
export class LiveStatus {
  private readonly down = new Set<string>();
  private readonly listeners = new Set<Listener>();

  get up(): boolean {
    return this.down.size === 0;
  }

  /** A connection (by role) went down or came back. */
  report(role: string, connected: boolean): void {
    const before = this.up;
    if (connected) this.down.delete(role);
    else this.down.add(role);
    if (before !== this.up) for (const listener of this.listeners) listener(this.up);
  }

  /** Calls `listener` on every change; returns the way to stop. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
