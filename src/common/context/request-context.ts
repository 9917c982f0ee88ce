import DataLoader from 'dataloader';
import { AccountKind } from '../../accounts/entities/user.entity';
import { AppError, Message } from '../errors/app-error';
import { DEFAULT_LOCALE, Locale, resolveLocale } from '../../i18n/locale';

/** The signed-in account behind a request, with the roles the services check. */
export interface Viewer {
  id: string;
  kind: AccountKind;
  isAdmin: boolean;
  /** Codes of the districts this account hosts. */
  hostOf: ReadonlySet<string>;
  /** The district this person is a verified resident of, if any. */
  residentOf: string | null;
  /** The sign-in session (refresh-token family) the access token belongs to. */
  sessionId: string;
  /** The language the account reads in, as it is now. */
  locale: Locale;
  /** A newer version of the terms is in force than the account accepted: it may read, not change anything (src/privacy). */
  mustAcceptTerms: boolean;
}

/** How a module builds one kind of DataLoader; the context makes one per request on first use. */
export interface LoaderDefinition<K, V> {
  create(): DataLoader<K, V>;
}

/**
 * What every resolver and service call gets about the request: who asks, a request id for the logs,
 * and the request's DataLoaders. The same shape for HTTP and for graphql-ws.
 */
export class RequestContext {
  /** Made on the first use: most live events and many requests use none. */
  private loaders?: Map<LoaderDefinition<unknown, unknown>, DataLoader<unknown, unknown>>;
  /** Set while a ballot is cast: the request's log line must not name its viewer (README, Security). */
  viewerWithheld = false;

  constructor(
    readonly requestId: string,
    readonly viewer: Viewer | null,
    /** Why a presented token was not accepted, to explain UNAUTHENTICATED. */
    readonly authProblem?: Message,
    /** The client's address (see clientIp), for the limits a service applies itself (sign-in). */
    readonly clientAddress?: string,
    /** The language the client asked for (Accept-Language, or graphql-ws connectionParams.locale), if any. */
    readonly requestedLocale: Locale | null = null,
  ) {}

  /** The language this request is answered in: the account's, else the one asked for, else Thai (README, Thai first). */
  get locale(): Locale {
    return resolveLocale(this.viewer?.locale, this.requestedLocale) ?? DEFAULT_LOCALE;
  }

  loader<K, V>(definition: LoaderDefinition<K, V>): DataLoader<K, V> {
    let loader = this.loaders?.get(definition as LoaderDefinition<unknown, unknown>);
    if (!loader) {
      loader = definition.create() as DataLoader<unknown, unknown>;
      (this.loaders ??= new Map()).set(definition as LoaderDefinition<unknown, unknown>, loader);
    }
    return loader as DataLoader<K, V>;
  }

  /**
   * Drops the loaders and the rows they hold. A subscription's context lives as long as its socket,
   * and what it loaded to start (the round it watches) would otherwise stay in memory for each
   * subscriber, and stay stale; a later use loads afresh.
   */
  forgetLoaded(): void {
    this.loaders = undefined;
  }

  /** The viewer, or UNAUTHENTICATED. */
  requireViewer(): Viewer {
    if (!this.viewer) throw AppError.unauthenticated(this.authProblem);
    return this.viewer;
  }

  isHostOf(districtCode: string): boolean {
    return !!this.viewer && (this.viewer.isAdmin || this.viewer.hostOf.has(districtCode));
  }
}

/** The GraphQL context object: Nest may add `req` to it; we only read `rc`. */
export interface GraphQLContext {
  rc: RequestContext;
}

/** A loader of rows by primary key `id`, answering null for ids that do not exist. */
export function loaderById<E extends { id: string }>(find: (ids: string[]) => Promise<E[]>): LoaderDefinition<string, E | null> {
  return {
    create: () =>
      new DataLoader<string, E | null>(async (ids) => {
        const byId = new Map((await find([...ids])).map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      }),
  };
}
