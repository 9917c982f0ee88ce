import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';

/** One GraphQL error as the server sends it: a message for people, a code for programs. */
export interface ServerError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; requestId?: string; [key: string]: unknown };
}

/** A response with errors: the client branches on `codes`, and shows `errors[i].message` to people. */
export class GraphQLRequestError extends Error {
  constructor(readonly errors: ServerError[]) {
    super(errors.map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`).join('; '));
  }

  get codes(): string[] {
    return this.errors.map((error) => error.extensions?.code ?? 'ERROR');
  }
}

/**
 * A small typed client: the documents come from generated.ts, so each call's variables and result are
 * checked by TypeScript against the server's schema. Queries and mutations go over HTTP; subscriptions
 * over graphql-ws on the same URL.
 */
export class ExampleClient {
  private socket?: Client;
  private token?: string;

  constructor(private readonly url: string) {}

  /** Later requests carry this access token (a new socket is opened for subscriptions). */
  signIn(accessToken: string): void {
    this.token = accessToken;
    void this.socket?.dispose();
    this.socket = undefined;
  }

  async request<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables): Promise<Result> {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await response.json()) as { data?: Result | null; errors?: ServerError[] };
    if (body.errors?.length) throw new GraphQLRequestError(body.errors);
    if (!body.data) throw new GraphQLRequestError([{ message: `HTTP ${response.status} without data` }]);
    return body.data;
  }

  /** Events of a subscription, as an async iterator: `return()` (or leaving a for-await loop) ends it. */
  subscribe<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables): AsyncIterableIterator<Result> {
    this.socket ??= createClient({
      url: this.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: this.token ? { authorization: `Bearer ${this.token}` } : undefined,
    });
    const events = this.socket.iterate<Result>({ query: print(document), variables: variables as Record<string, unknown> });
    return {
      [Symbol.asyncIterator]() {
        return this;
      },
      async next() {
        const event = await events.next();
        if (event.done) return { done: true, value: undefined };
        if (event.value.errors?.length) throw new GraphQLRequestError(event.value.errors as ServerError[]);
        return { done: false, value: event.value.data as Result };
      },
      async return() {
        await events.return?.();
        return { done: true, value: undefined };
      },
    };
  }

  async close(): Promise<void> {
    await this.socket?.dispose();
  }
}
