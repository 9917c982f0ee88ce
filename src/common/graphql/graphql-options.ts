import { randomUUID } from 'node:crypto';
import { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloDriverConfig } from '@nestjs/apollo';
import { DocumentNode, ExecutionArgs, ExecutionResult, GraphQLError, GraphQLFormattedError, GraphQLSchema, NoSchemaIntrospectionCustomRule, parse, specifiedRules, validate } from 'graphql';
import type { Context as WsContext } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { AccessCheck, AuthService, Authentication } from '../../accounts/auth.service';
import { AppConfig, schemaIsPublic } from '../../config/config';
import { graphiqlLandingPage } from '../../ide/graphiql-page';
import { GraphQLContext, RequestContext } from '../context/request-context';
import { answerIn, appErrorIn, formatGraphQLError, isDatabaseUnavailable, isInternalError, unavailableInContext, withoutSuggestions } from '../errors/format-error';
import { AppLogger } from '../logging/logger';
import { MetricsService } from '../../metrics/metrics.service';
import { checkDocumentShape, DEFAULT_LIMITS, measureOperation, OperationCost } from '../limits/operation-limits';
import { rateLimitedError } from '../limits/rate-limiter';
import type { WsLimits } from '../limits/ws-limits';
import { documentShapeRule, operationLimitsPlugin } from '../limits/operation-limits.plugin';
import { DateTimeScalar } from './date-time.scalar';
import { requestLoggingPlugin } from './request-logging.plugin';
import { AccountSockets, closeEndedSession } from '../../realtime/account-sockets';
import { LiveStatus } from '../../realtime/live-status';
import { WS_CLOSE_SLOW_CONSUMER, WS_CLOSE_TRY_AGAIN_LATER, WS_CLOSE_UNAUTHORIZED } from '../../realtime/ws-close-codes';
import { isLiveNotice, liveNotice, subscriptionStream } from './subscription-stream';
import { LiveRequests, subscribeAsRequests } from './live-requests';
import { operationInputProblems } from './operation-variables';
import { refuseUnstorableText } from './storable-text';
import { payloadText, replacePayloadText, sendsPayloadTexts } from './shared-payloads';
import { checkRefusals } from './refusable-fields';
import { DEFAULT_LOCALE, isLocale, Locale, localeFromAcceptLanguage, resolveLocale } from '../../i18n/locale';
import { AppError, englishOf, ErrorCode, extensionsOf, msg, textOf } from '../errors/app-error';

/** What graphql-ws keeps for each socket: the client's address and who signed in on it. */
interface SocketExtra {
  socket: WebSocket;
  /** The request that opened the socket, until `connection_init` has read the address from it (see onConnect). */
  request?: Parameters<typeof clientIp>[0];
  /** The client address (clientIp), read from the request once. */
  address?: string;
  auth?: Authentication;
  /** Ids of this socket's open subscriptions, for the metrics and the per-connection limit. */
  open?: Set<string>;
  /** Each open subscription's cost, sent in the extensions of each of its results. */
  costs?: Map<string, OperationCost>;
  /** Subscribe messages in the current second (WsLimits). */
  second?: number;
  messages?: number;
}

/** The client address: the socket's, or with TRUST_PROXY the first X-Forwarded-For hop. */
export function clientIp(request: { headers: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } }, trustProxy: boolean): string {
  const forwarded = request.headers['x-forwarded-for'];
  if (trustProxy && forwarded) return String(Array.isArray(forwarded) ? forwarded[0] : forwarded).split(',')[0].trim();
  return request.socket?.remoteAddress ?? 'unknown';
}

/**
 * Asks a client that stopped reading to go, then cuts it off if it does not read even the close frame
 * within a few seconds: until then its unread messages stay in memory.
 */
function closeSlowConsumer(socket: WebSocket): boolean {
  if (socket.readyState !== socket.OPEN) return false;
  socket.close(WS_CLOSE_SLOW_CONSUMER, 'Slow consumer: too many unread messages');
  setTimeout(() => socket.terminate(), 5_000).unref();
  return true;
}

/**
 * The database failed while authenticating a WebSocket's operation (or its connection): the socket is
 * closed with 1013, try again later, which graphql-ws clients reconnect after by themselves, instead of
 * graphql-ws's 4500, after which they do not. Any other error is thrown again.
 */
function closeAsUnavailable(socket: WebSocket | undefined, error: unknown): null {
  if (!socket || !isDatabaseUnavailable(error)) throw error;
  socket.close(WS_CLOSE_TRY_AGAIN_LATER, 'The database is unavailable right now: reconnect shortly');
  return null;
}

/**
 * Every answer depends on who asks, and no type or field carries a cache hint: `no-store` on every
 * response, said once. Apollo's default cache-control plugin answers the same, but by wrapping every
 * field resolver of every request to collect hints that do not exist, so it is disabled beside this.
 */
const uncacheable: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

/**
 * Apollo's formatError is not given the request: each error is noted with the request's language
 * before it is formatted (Apollo calls didEncounterErrors first, for every error it answers).
 */
const answerLanguage: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ contextValue, errors }) {
        const locale = contextValue?.rc?.locale;
        if (locale) for (const error of errors) answerIn(error, locale);
      },
    };
  },
};

/** The language of a graphql-ws socket before an operation's context exists: its account's, else connectionParams.locale, else Thai. */
function socketLocale(ctx: WsContext<Record<string, unknown>, SocketExtra>): Locale {
  const requested = isLocale(ctx.connectionParams?.locale) ? ctx.connectionParams.locale : null;
  return resolveLocale(ctx.extra.auth?.viewer?.locale, requested);
}

/** Documents parsed and validated over WebSocket, by their text: thousands subscribe with the same one. */
const MAX_KNOWN_DOCUMENTS = 200;

/**
 * The documents of operations already accepted, so that a subscription with a known text is neither
 * parsed nor validated again and shares its syntax tree with the others (5,000 watchers of a round hold
 * one document, not 5,000). Oldest first; a document used again moves to the end.
 */
class KnownDocuments {
  private readonly documents = new Map<string, { text: string; document: DocumentNode }>();

  /** The document of `text`, and the text as first received: the one to keep, shared by everyone who sent it. */
  get(text: string): { text: string; document: DocumentNode } | undefined {
    const known = this.documents.get(text);
    if (known) {
      this.documents.delete(text);
      this.documents.set(known.text, known);
    }
    return known;
  }

  add(text: string, document: DocumentNode): void {
    this.documents.set(text, { text, document });
    if (this.documents.size > MAX_KNOWN_DOCUMENTS) this.documents.delete(this.documents.keys().next().value as string);
  }
}

/** Where a WebSocket operation's context keeps its socket (a symbol survives Nest's copy of the context). */
const SOCKET = Symbol('socket');

export function requestIdOf(headers: Record<string, unknown>): string {
  const given = headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{8,100}$/.test(given) ? given : randomUUID();
}

/**
 * The GraphQL server: code-first schema, Apollo over HTTP and graphql-ws over the same port, one
 * context shape for both, and one error format for both.
 */
export function graphqlOptions(config: AppConfig, auth: AuthService, logger: AppLogger, metrics: MetricsService, live: LiveStatus, accountSockets: AccountSockets, wsLimits: WsLimits): ApolloDriverConfig {
  const paused = new AppError(ErrorCode.SERVICE_UNAVAILABLE, msg('errors.unavailable.livePaused'));
  const pausedError = (locale: Locale) => ({ message: textOf(paused, locale), extensions: extensionsOf(paused, locale) });
  const production = config.nodeEnv === 'production';
  // No "did you mean" suggestions in production, on either transport and in any error: they reveal the schema.
  const hide = production ? withoutSuggestions : (error: GraphQLFormattedError) => error;
  // graphql-ws is given no schema in its hooks: the HTTP server's start hands it over.
  const schemaRef: { schema?: GraphQLSchema } = {};
  const liveRequests = new LiveRequests((accounts) => auth.viewersNow(accounts));
  const sessionEnded = (socket: WebSocket | undefined) => socket && closeEndedSession(socket);
  const knownDocuments = new KnownDocuments();
  /** Each shared result's payload, serialised once for everyone it goes to (see onNext). */
  const payloadTexts = new WeakMap<ExecutionResult, string>();

  const format = (error: GraphQLError, rc?: RequestContext): GraphQLFormattedError => {
    if (rc) (error.extensions as Record<string, unknown>).requestId = rc.requestId;
    if (isInternalError(error)) {
      const original = error.originalError ?? error;
      logger.error({ requestId: rc?.requestId, transport: 'ws', path: error.path, stack: original.stack }, original.message);
    }
    return hide(formatGraphQLError(error.toJSON(), error, rc?.locale ?? DEFAULT_LOCALE));
  };

  return {
    path: '/graphql',
    autoSchemaFile: true,
    // Dates are read strictly (Nest's own DateTime reads them as `new Date(text)` does).
    buildSchemaOptions: { scalarsMap: [{ type: Date, scalar: DateTimeScalar }] },
    // Outside production, a field below the root that refuses a viewer must say so (refusable-fields.ts).
    transformSchema: (schema) => (production ? refuseUnstorableText(schema) : checkRefusals(refuseUnstorableText(schema))),
    sortSchema: true,
    introspection: schemaIsPublic(config),
    // Our GraphiQL, every asset served by this server (src/ide), when the IDE is on; never Apollo's or Nest's CDN pages.
    graphiql: false,
    // No "did you mean" field suggestions in production: they reveal the schema.
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries are off: Apollo's cache of them is per instance, so a hash registered on
    // one instance is unknown to the next behind the load balancer. A hash alone is refused with
    // PERSISTED_QUERY_NOT_SUPPORTED; clients send the document.
    persistedQueries: false,
    csrfPrevention: true,
    formatError: (formatted, error) => hide(formatGraphQLError(formatted, error)),
    // The same bounds as graphql-ws below: the parser stops past maxTokens, the shape rule refuses before the costly rules.
    parseOptions: { maxTokens: DEFAULT_LIMITS.maxTokens },
    validationRules: [documentShapeRule],
    // @apollo/server ships CommonJS and ESM typings; Nest's are the ESM ones, ours the CommonJS ones.
    plugins: [requestLoggingPlugin(logger, metrics), operationLimitsPlugin(schemaRef), ApolloServerPluginCacheControlDisabled(), uncacheable, answerLanguage, ...(config.ide ? [graphiqlLandingPage()] : [])].map(
      (p) => p as unknown as NonNullable<ApolloDriverConfig['plugins']>[number],
    ),
    context: async (arg: { req?: { headers: Record<string, unknown>; requestId?: string; accessCheck?: { check: AccessCheck } } } & Partial<WsContext<Record<string, unknown>, SocketExtra>>): Promise<GraphQLContext> => {
      if (arg.req) {
        const requested = localeFromAcceptLanguage(arg.req.headers['accept-language']);
        // Before there is a context, an error is answered in the language the request asked for.
        const authentication = await auth.authenticate(arg.req.headers.authorization, arg.req.accessCheck).catch((error) => {
          answerIn(error, requested ?? DEFAULT_LOCALE);
          return unavailableInContext(error, requested ?? DEFAULT_LOCALE);
        });
        const requestId = arg.req.requestId ?? requestIdOf(arg.req.headers);
        const address = clientIp(arg.req as Parameters<typeof clientIp>[0], config.trustProxy);
        return { rc: new RequestContext(requestId, authentication.viewer, 'problem' in authentication ? authentication.problem : undefined, address, requested) };
      }
      // A WebSocket operation starts with the account as it is now, not as it was when the socket connected.
      const socket = arg.extra?.socket;
      const connected = arg.extra?.auth?.viewer ?? null;
      const [now] = connected ? await auth.viewersNow([{ userId: connected.id, sessionId: connected.sessionId }]).catch((error) => { closeAsUnavailable(socket, error); throw error; }) : [null];
      if (typeof now === 'string') sessionEnded(socket);
      const address = arg.extra?.address;
      const requested = isLocale(arg.connectionParams?.locale) ? arg.connectionParams.locale : null;
      const rc = new RequestContext(randomUUID(), typeof now === 'string' ? null : now, typeof now === 'string' ? msg('errors.auth.sessionEnded') : undefined, address, requested);
      return Object.assign(liveRequests.subscriptionContext(rc, socket, sessionEnded), { [SOCKET]: socket });
    },
    subscriptions: {
      'graphql-ws': {
        path: '/graphql',
        connectionInitWaitTimeout: 10_000,
        jsonMessageReplacer: replacePayloadText,
        // Each subscription tells its client when live delivery pauses and resumes (Redis outages), and
        // a client that stops reading is closed before its unsent events pile up.
        subscribe: async (args: ExecutionArgs) => {
          const result = await subscribeAsRequests(args);
          if (!('next' in result)) return result;
          const socket = (args.contextValue as { [SOCKET]?: WebSocket })[SOCKET];
          return subscriptionStream(result, {
            live,
            notice: (up) => liveNotice(up, pausedError((args.contextValue as GraphQLContext).rc.locale)) as ExecutionResult,
            maxQueued: config.wsMaxQueuedEvents,
            onOverflow: () => {
              if (socket && closeSlowConsumer(socket)) metrics.slowConsumersClosed.inc();
            },
          });
        },
        onConnect: async (wsContext) => {
          const ctx = wsContext as WsContext<Record<string, unknown>, SocketExtra>;
          // The request (its headers, its socket's buffers) would otherwise be kept as long as the socket: only its address is used later.
          // Set to undefined, not deleted: a delete turns `extra` into a dictionary, 340 bytes a socket more.
          if (ctx.extra.request) ctx.extra.address = clientIp(ctx.extra.request, config.trustProxy);
          ctx.extra.request = undefined;
          // Sockets per address are counted from the upgrade on (WsLimits); one closed there is not served.
          if (ctx.extra.socket.readyState !== ctx.extra.socket.OPEN) return false;
          const authorization = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
          const authentication = await auth.authenticate(authorization).catch((error) => closeAsUnavailable(ctx.extra.socket, error));
          if (!authentication) return false;
          if ('problem' in authentication && authentication.problem) {
            ctx.extra.socket.close(WS_CLOSE_UNAUTHORIZED, `Unauthorized: ${englishOf(authentication.problem)}`.slice(0, 120));
            return false;
          }
          ctx.extra.auth = authentication;
          sendsPayloadTexts(ctx.extra.socket);
          // The subscriptions a token opened end with it, or sooner with its session or the account's roles.
          let expiry: NodeJS.Timeout | undefined;
          if (authentication.viewer) {
            accountSockets.track(ctx.extra.socket, authentication.viewer.id, authentication.viewer.sessionId);
            expiry = setTimeout(() => ctx.extra.socket.close(WS_CLOSE_UNAUTHORIZED, 'Unauthorized: the access token expired'), Math.max(0, authentication.expiresAt.getTime() - Date.now()));
            expiry.unref();
          }
          const open = new Set<string>();
          ctx.extra.open = open;
          // One listener, with `on`: `ws` emits 'close' once, and `once` would wrap it in another function per socket.
          ctx.extra.socket.on('close', () => {
            clearTimeout(expiry);
            metrics.subscriptions.dec(open.size);
            open.clear();
          });
          return true;
        },
        // Apollo's plugins and validation rules do not run over WebSocket: the same checks, here.
        onSubscribe: async (wsContext, id, payload) => {
          const ctx = wsContext as WsContext<Record<string, unknown>, SocketExtra>;
          // Counted before it is parsed: an invalid message costs its sender as much as a valid one.
          const limited = await wsLimits.admit(ctx.extra);
          if (limited) return [limited];
          const schema = schemaRef.schema;
          if (!schema) {
            const starting = new AppError(ErrorCode.SERVICE_UNAVAILABLE, msg('errors.unavailable.starting'));
            return [new GraphQLError(starting.message, { originalError: starting, extensions: extensionsOf(starting) })];
          }
          const known = knownDocuments.get(payload.query);
          // graphql-ws keeps the subscribe message for the life of the subscription: it keeps the shared text, not its own copy.
          if (known) (payload as { query: string }).query = known.text;
          let document = known?.document;
          if (!document) {
            try {
              document = parse(payload.query, { maxTokens: DEFAULT_LIMITS.maxTokens });
            } catch (error) {
              return [new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
            }
            const misshapen = checkDocumentShape(document);
            if (misshapen.length) return misshapen;
            const invalid = validate(schema, document, schemaIsPublic(config) ? specifiedRules : [...specifiedRules, NoSchemaIntrospectionCustomRule]);
            if (invalid.length) return invalid;
            knownDocuments.add(payload.query, document);
          }
          const measured = measureOperation(schema, document, payload.operationName, payload.variables);
          if (measured.errors.length) return measured.errors;
          const badInput = operationInputProblems(schema, document, payload.operationName, payload.variables);
          if (badInput.length) return badInput;
          if ((ctx.extra.open?.size ?? 0) >= config.rateLimits.wsSubscriptionsPerConnection) {
            return [rateLimitedError(60, msg('errors.rateLimited.subscriptionsPerConnection', { max: config.rateLimits.wsSubscriptionsPerConnection }))];
          }
          if (!ctx.extra.open?.has(id)) {
            ctx.extra.open?.add(id);
            metrics.subscriptions.inc();
          }
          if (measured.cost) (ctx.extra.costs ??= new Map()).set(id, measured.cost);
          // Parsed and validated here: graphql-ws would otherwise do both again.
          return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
        },
        onComplete: (wsContext: unknown, id: string) => {
          const ctx = wsContext as WsContext<Record<string, unknown>, SocketExtra>;
          ctx.extra.costs?.delete(id);
          if (ctx.extra.open?.delete(id)) metrics.subscriptions.dec();
        },
        onNext: (wsContext, id, _payload, args, result) => {
          // A notice is already in the shape sent (graphql-ws would otherwise call toJSON on its errors).
          if (isLiveNotice(result)) return result;
          // A new object: one result may be shared by the subscribers who see alike (live-requests.ts).
          const cost = (wsContext as WsContext<Record<string, unknown>, SocketExtra>).extra.costs?.get(id);
          const extensions = cost ? { ...result.extensions, cost } : result.extensions;
          if (!result.errors?.length) {
            // Everyone who shares this result asked the same, so with the same cost: serialised once.
            let text = payloadTexts.get(result);
            if (text === undefined) payloadTexts.set(result, (text = JSON.stringify(cost ? { ...result, extensions } : result)));
            return payloadText(text) as ExecutionResult;
          }
          const rc = (args.contextValue as GraphQLContext | undefined)?.rc;
          return { ...result, extensions, errors: result.errors.map((e) => format(e, rc)) };
        },
        // Sent instead of a result when the operation is refused before execution (validation).
        // Our refusals (limits, the server starting) in the socket's language; graphql-js's own messages as they are.
        onError: (ctx: unknown, _id: string, _payload: unknown, errors: readonly GraphQLError[]): GraphQLFormattedError[] =>
          errors.map((e) => {
            const appError = appErrorIn(e);
            const locale = socketLocale(ctx as WsContext<Record<string, unknown>, SocketExtra>);
            if (appError) return { message: textOf(appError, locale), locations: e.locations, extensions: extensionsOf(appError, locale) };
            return hide({ message: e.message, locations: e.locations, extensions: { code: e.extensions?.code ?? 'GRAPHQL_VALIDATION_FAILED', ...(e.extensions?.retryAfter !== undefined && { retryAfter: e.extensions.retryAfter }) } });
          }),
      } as NonNullable<ApolloDriverConfig['subscriptions']>['graphql-ws'],
    },
  };
}
