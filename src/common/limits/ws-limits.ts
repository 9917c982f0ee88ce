import type { IncomingMessage } from 'node:http';
import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { WebSocket, WebSocketServer } from 'ws';
import { APP_CONFIG, AppConfig } from '../../config/config';
import { WS_CLOSE_RATE_LIMITED } from '../../realtime/ws-close-codes';
import { Clock } from '../clock/clock';
import { clientIp } from '../graphql/graphql-options';
import { AppLogger, LOGGER } from '../logging/logger';
import { RateLimiter, rateLimitedError } from './rate-limiter';
import { msg } from '../errors/app-error';

/** The largest WebSocket message accepted, as for an HTTP body: a longer one closes the socket with 1009. */
export const WS_MAX_PAYLOAD = 1024 * 1024;

/** What a graphql-ws socket keeps for its limits (part of its `extra`). */
export interface SocketCounts {
  /** The client address (clientIp), read when the socket's `connection_init` came. */
  address?: string;
  auth?: { viewer: { id: string } | null };
  /** The second (on the clock) the messages below were counted in. */
  second?: number;
  messages?: number;
}

/**
 * Nest creates the `ws` server of graphql-ws itself and takes none of its options (@nestjs/graphql 14,
 * GqlSubscriptionService), so it is found where the Apollo driver keeps it. A Nest release that moves it
 * stops the server at boot here, rather than leaving WebSockets without their limits.
 */
function graphqlWebSocketServer(moduleRef: ModuleRef): WebSocketServer {
  const graphql = moduleRef.get(GraphQLModule, { strict: false }) as unknown as { graphQlAdapter?: { _subscriptionService?: { wss?: WebSocketServer } } };
  const wss = graphql?.graphQlAdapter?._subscriptionService?.wss;
  if (!wss || typeof wss.on !== 'function' || typeof wss.options !== 'object') {
    throw new Error('The graphql-ws WebSocket server was not found where @nestjs/graphql keeps it: its limits cannot be applied.');
  }
  return wss;
}

/**
 * The limits of graphql-ws that HTTP has too, applied where graphql-ws cannot: the size of a message,
 * sockets per address from the moment they connect (not from `connection_init`), and every subscribe
 * message counted before it is parsed, per connection and in the same per-address and per-account
 * counters as HTTP requests.
 */
@Injectable()
export class WsLimits implements OnApplicationBootstrap {
  private readonly socketsPerIp = new Map<string, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
    private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: AppLogger,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** After GraphQLModule has started graphql-ws (onModuleInit), before the server listens. */
  onApplicationBootstrap(): void {
    const wss = graphqlWebSocketServer(this.moduleRef);
    wss.options.maxPayload = WS_MAX_PAYLOAD;
    // Registered after graphql-ws's own listener, so it runs once graphql-ws has taken the socket.
    wss.on('connection', (socket: WebSocket, request: IncomingMessage) => this.connected(socket, request));
  }

  private connected(socket: WebSocket, request: IncomingMessage): void {
    const ip = clientIp(request, this.config.trustProxy);
    // A protocol error (a message over WS_MAX_PAYLOAD, invalid UTF-8, a bad frame) is the client's: `ws`
    // has already closed the socket with its code. graphql-ws would print it to stderr: it is logged here.
    socket.removeAllListeners('error');
    socket.on('error', (error: Error & { code?: string }) => this.logger.warn({ ip, code: error.code, error: error.message }, 'websocket protocol error'));

    const sockets = (this.socketsPerIp.get(ip) ?? 0) + 1;
    this.socketsPerIp.set(ip, sockets);
    // `on`, not `once` (a wrapper per socket): `ws` emits 'close' once.
    socket.on('close', () => {
      const left = (this.socketsPerIp.get(ip) ?? 1) - 1;
      if (left > 0) this.socketsPerIp.set(ip, left);
      else this.socketsPerIp.delete(ip);
    });
    if (sockets > this.config.rateLimits.wsConnectionsPerIp) socket.close(WS_CLOSE_RATE_LIMITED, 'Too many connections from this address');
  }

  /**
   * Counts one subscribe message before anything in it is read: against its connection's messages per
   * second, then against its address's and account's requests per minute. The refusal, if any.
   */
  async admit(counts: SocketCounts): Promise<GraphQLError | undefined> {
    const second = Math.floor(this.clock.now().getTime() / 1000);
    if (counts.second !== second) {
      counts.second = second;
      counts.messages = 0;
    }
    counts.messages = (counts.messages ?? 0) + 1;
    if (counts.messages > this.config.rateLimits.wsMessagesPerSecond) return rateLimitedError(1, msg('errors.rateLimited.subscribeMessages'));
    return (await this.limiter.countRequest(counts.address ?? 'unknown', counts.auth?.viewer?.id ?? null)).refusal;
  }
}
