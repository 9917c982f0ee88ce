import { randomUUID } from 'node:crypto';
import DataLoader from 'dataloader';
import { createSourceEventStream, DocumentNode, execute, ExecutionArgs, ExecutionResult, print } from 'graphql';
import type { WebSocket } from 'ws';
import { GraphQLContext, RequestContext, Viewer } from '../context/request-context';
import { Locale } from '../../i18n/locale';

/** A signed-in account and the sign-in session it subscribed with. */
interface Account {
  userId: string;
  sessionId: string;
}

/** Who accounts are now, or why they no longer speak for anyone (AuthService.viewersNow). */
export type ReadViewers = (accounts: readonly Account[]) => Promise<(Viewer | 'NO_ACCOUNT' | 'SESSION_ENDED')[]>;

/** What a subscription's context carries besides `rc`: who subscribed, so that each event can be resolved for them. */
interface Subscriber {
  requests: LiveRequests;
  /** The signed-in account and session, or null for an anonymous subscriber. */
  account: Account | null;
  /** Closed when the session turns out to have ended. */
  socket?: WebSocket;
  /** Called (with the socket) when an event finds that the subscriber's session has ended. */
  onSessionEnded(socket: WebSocket | undefined): void;
  /** The language the socket asked for (connectionParams.locale); the account's own, read per event, comes first. */
  requestedLocale: Locale | null;
}

// A symbol survives Nest's copy of the context (Object.assign copies own symbol keys).
const SUBSCRIBER = Symbol('subscriber');

type SubscriptionContext = GraphQLContext & { [SUBSCRIBER]?: Subscriber };

/**
 * Every event of a subscription is resolved as a new request would be: a new RequestContext, so empty
 * DataLoaders (one kept for the life of a socket would serve the first event's comments, replies and
 * edits to every later event), with the subscriber's roles, residency and session read at that moment
 * (a host removed an hour ago no longer sees what hosts see). The read is one query per event for all
 * the signed-in subscribers on this instance; anonymous subscribers cost none.
 */
export class LiveRequests {
  /** Per event: who each signed-in subscriber is now, batched across the subscribers of the event. */
  private readonly viewers = new WeakMap<object, DataLoader<Account, Viewer | 'NO_ACCOUNT' | 'SESSION_ENDED', string>>();
  /** Per event and subscription: its request, shared by the subscription's filter and its execution. */
  private readonly requests = new WeakMap<object, WeakMap<object, Promise<RequestContext | null>>>();

  constructor(private readonly readViewers: ReadViewers) {}

  /** The context of a new subscription: `rc` for starting it, and what its events need to be resolved. */
  subscriptionContext(rc: RequestContext, socket: WebSocket | undefined, onSessionEnded: Subscriber['onSessionEnded']): GraphQLContext {
    const account = rc.viewer ? { userId: rc.viewer.id, sessionId: rc.viewer.sessionId } : null;
    const context: SubscriptionContext = { rc, [SUBSCRIBER]: { requests: this, account, socket, onSessionEnded, requestedLocale: rc.requestedLocale } };
    return context;
  }

  /** The subscriber's request for `event`, the same object every time it is asked; null when their session has ended. */
  requestFor(event: object, context: GraphQLContext): Promise<RequestContext | null> {
    const subscriber = (context as SubscriptionContext)[SUBSCRIBER];
    if (!subscriber) throw new Error('Not the context of a subscription');
    let bySubscription = this.requests.get(event);
    if (!bySubscription) this.requests.set(event, (bySubscription = new WeakMap()));
    let request = bySubscription.get(context);
    if (!request) bySubscription.set(context, (request = this.newRequest(event, subscriber)));
    return request;
  }

  private async newRequest(event: object, subscriber: Subscriber): Promise<RequestContext | null> {
    if (!subscriber.account) return new RequestContext(randomUUID(), null, undefined, undefined, subscriber.requestedLocale);
    let loader = this.viewers.get(event);
    if (!loader) {
      const created = new DataLoader<Account, Viewer | 'NO_ACCOUNT' | 'SESSION_ENDED', string>((accounts) => this.readViewers(accounts), {
        cacheKeyFn: (account) => `${account.userId}:${account.sessionId}`,
      });
      this.viewers.set(event, (loader = created));
    }
    const viewer = await loader.load(subscriber.account);
    if (typeof viewer === 'string') {
      subscriber.onSessionEnded(subscriber.socket);
      return null;
    }
    return new RequestContext(randomUUID(), viewer, undefined, undefined, subscriber.requestedLocale);
  }
}

/**
 * The request an event is for this subscriber (for subscription filters and resolvers): null when the
 * subscriber's session has ended, and the event must not reach them.
 */
export function requestForEvent(context: GraphQLContext, event: object): Promise<RequestContext | null> {
  const subscriber = (context as SubscriptionContext)[SUBSCRIBER];
  if (!subscriber) throw new Error('Not the context of a subscription');
  return subscriber.requests.requestFor(event, context);
}

/**
 * Who can see what is decided by the viewer alone (identity, roles, residency, session) and the data
 * read for the event, and what they read it in by the language: two subscribers with the same key asking
 * the same thing get the same answer.
 */
function visibilityKey(rc: RequestContext): string {
  return rc.locale + JSON.stringify(rc.viewer, (_key, value: unknown) => (value instanceof Set ? [...value].sort() : value));
}

/** Documents as text, once per document (subscribers of the same text share one: graphql-options.ts). */
const printedDocuments = new WeakMap<DocumentNode, string>();

function printed(document: DocumentNode): string {
  let text = printedDocuments.get(document);
  if (text === undefined) printedDocuments.set(document, (text = print(document)));
  return text;
}

/**
 * One copy of each question (operation, document, variables) for all who ask it: thousands watching one
 * round would otherwise each keep their own, about 1 KB apiece. Forgotten all at once past 10,000 distinct
 * ones, so that made-up variables cannot grow it without bound.
 */
const questions = new Map<string, string>();

function sharedQuestion(question: string): string {
  const shared = questions.get(question);
  if (shared !== undefined) return shared;
  if (questions.size >= 10_000) questions.clear();
  // A flat copy: JSON.stringify may answer with a chain of pieces, several times the text's size.
  const flat = flatString(question);
  questions.set(flat, flat);
  return flat;
}

/** The text as one piece: a copy through its UTF-8 bytes. */
function flatString(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/** Results computed for an event, by what was asked and whose visibility it was asked with. */
const executions = new WeakMap<object, Map<string, Promise<ExecutionResult>>>();

/**
 * graphql's `subscribe`, with each event executed as a new request for its subscriber (see
 * LiveRequests), and executed once for all the subscribers on this instance whose visibility is the
 * same (same viewer, roles and residency, or all anonymous) and who asked the same thing: with thousands
 * watching one round, executing it per subscriber was most of the cost of an update. Filters run per
 * subscriber, with the same request as the execution.
 */
export async function subscribeAsRequests(args: ExecutionArgs): Promise<AsyncIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in stream)) return stream;
  const source = stream[Symbol.asyncIterator]();
  const context = args.contextValue as GraphQLContext;
  // Each event is resolved with a request of its own: nothing the start loaded is needed again.
  context.rc.forgetLoaded();
  const question = sharedQuestion(JSON.stringify([args.operationName ?? null, printed(args.document), args.variableValues ?? {}]));

  const run = (event: object, rc: RequestContext): Promise<ExecutionResult> => {
    const eventContext = Object.assign(Object.create(Object.getPrototypeOf(context) as object) as object, context, { rc });
    const key = visibilityKey(rc) + question;
    let byKey = executions.get(event);
    if (!byKey) executions.set(event, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) byKey.set(key, (result = Promise.resolve(execute({ ...args, contextValue: eventContext, rootValue: event }))));
    return result;
  };
  return {
    async next(): Promise<IteratorResult<ExecutionResult>> {
      for (;;) {
        const item = await source.next();
        if (item.done) return item;
        const event = item.value as unknown;
        if (typeof event !== 'object' || event === null) throw new Error('Pub/sub events are objects');
        const rc = await requestForEvent(context, event);
        if (!rc) continue;
        const result = await run(event, rc);
        // The event may outlive its delivery (the newest of a channel is kept): not what it loaded.
        rc.forgetLoaded();
        return { value: result, done: false };
      }
    },
    async return(): Promise<IteratorResult<ExecutionResult>> {
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error?: unknown): Promise<IteratorResult<ExecutionResult>> {
      await source.return?.();
      throw error;
    },
  };
}
