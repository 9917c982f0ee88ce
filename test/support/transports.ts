import request from 'supertest';
import WebSocket from 'ws';
import type { TestServer } from './test-server';

/**
 * One GraphQL request, sent as a client sends it over either transport, so that a suite of cases
 * (limits, fuzzing, rate limits) is written once and run over both: HTTP POST and graphql-ws.
 */
export type Transport = 'http' | 'ws';
export const TRANSPORTS: readonly Transport[] = ['http', 'ws'];

export interface Operation {
  query: string;
  variables?: unknown;
  /** The variables as JSON text, sent as written in place of `variables` (for values JSON.stringify cannot write, such as 5,000 nested lists). */
  variablesJson?: string;
  operationName?: string | null;
  /** An access token: the Authorization header over HTTP, `connectionParams.authorization` over graphql-ws. */
  token?: string;
  /** Extra HTTP headers (HTTP only), e.g. x-forwarded-for with TRUST_PROXY. */
  headers?: Record<string, string>;
}

export interface Answer {
  transport: Transport;
  /** HTTP status; over graphql-ws, undefined. */
  status?: number;
  data?: Record<string, any> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
  /** Over graphql-ws, when the server closed the socket instead of answering: its close code and reason. */
  closed?: { code: number; reason: string };
  /** The raw text the server sent (the HTTP body, or every graphql-ws message joined by newlines). */
  text: string;
}

/** The first error code of an answer, or the close code of a socket the server closed. */
export function outcome(answer: Answer): string | number | undefined {
  return answer.errors?.[0]?.extensions?.code ?? answer.closed?.code;
}

/** Sends one operation over `transport` and waits for its whole answer. */
export async function send(api: TestServer, transport: Transport, operation: Operation): Promise<Answer> {
  if (transport === 'http') return sendHttp(api, operation);
  const session = await WsSession.open(api, operation.token);
  try {
    return await session.send(operation);
  } finally {
    session.close();
  }
}

async function sendHttp(api: TestServer, operation: Operation): Promise<Answer> {
  let req = request(api.http).post('/graphql').set('content-type', 'application/json');
  if (operation.token) req = req.set('authorization', `Bearer ${operation.token}`);
  for (const [name, value] of Object.entries(operation.headers ?? {})) req = req.set(name, value);
  const res = await req.send(json({ query: operation.query, variables: operation.variables, operationName: operation.operationName }, operation.variablesJson));
  return { transport: 'http', status: res.status, data: res.body?.data, errors: res.body?.errors, text: res.text ?? '' };
}

const VARIABLES_MARK = '\u0000variables\u0000';

/** A message as JSON text; `variablesJson`, when given, stands in for its `variables` as written. */
function json(message: Record<string, unknown> & { payload?: Record<string, unknown> }, variablesJson?: string): string {
  if (variablesJson === undefined) return JSON.stringify(message);
  const marked = message.payload ? { ...message, payload: { ...message.payload, variables: VARIABLES_MARK } } : { ...message, variables: VARIABLES_MARK };
  return JSON.stringify(marked).replace(JSON.stringify(VARIABLES_MARK), () => variablesJson);
}

/**
 * One graphql-ws connection spoken by hand (the `graphql-transport-ws` protocol over a real socket), so a
 * test sees exactly what the server sends: `next`/`error`/`complete` per operation, or the socket's close
 * code. Several operations can share it, one after another or at once.
 */
export class WsSession {
  private nextId = 0;
  private readonly pending = new Map<string, { messages: any[]; raw: string[]; done: (answer: Answer) => void }>();
  /** Set when the server closed the socket. */
  closed?: { code: number; reason: string };
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const raw = data.toString();
      let message: any;
      try {
        message = JSON.parse(raw);
      } catch {
        return;
      }
      const waiting = message.id !== undefined ? this.pending.get(message.id) : undefined;
      if (!waiting) return;
      waiting.raw.push(raw);
      if (message.type === 'next') waiting.messages.push(message.payload);
      else if (message.type === 'error') this.finish(message.id, { errors: message.payload });
      else if (message.type === 'complete') this.finish(message.id, {});
    });
    socket.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const id of [...this.pending.keys()]) this.finish(id, { closed: this.closed });
    });
  }

  /** Connects and completes `connection_init`; resolves with the session, or with the close the server answered. */
  static async open(api: TestServer, token?: string, options: { headers?: Record<string, string> } = {}): Promise<WsSession> {
    const socket = new WebSocket(api.url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws', { headers: options.headers });
    const session = new WsSession(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
      socket.once('close', () => resolve());
    });
    if (session.closed) return session;
    await new Promise<void>((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        if (JSON.parse(data.toString()).type === 'connection_ack') done();
      };
      const done = () => {
        socket.off('message', onMessage);
        socket.off('close', done);
        resolve();
      };
      socket.on('message', onMessage);
      socket.once('close', done);
      socket.send(JSON.stringify({ type: 'connection_init', payload: token ? { authorization: `Bearer ${token}` } : {} }));
    });
    return session;
  }

  /** Sends `subscribe` and waits for its `error`, or its `complete` (a query or mutation answers once), or the close. */
  send(operation: Operation): Promise<Answer> {
    const id = String(++this.nextId);
    return new Promise<Answer>((resolve) => {
      if (this.closed) return resolve({ transport: 'ws', closed: this.closed, text: '' });
      const messages: any[] = [];
      const raw: string[] = [];
      this.pending.set(id, {
        messages,
        raw,
        done: (answer) => resolve(answer),
      });
      this.socket.send(json({ id, type: 'subscribe', payload: { query: operation.query, variables: operation.variables, operationName: operation.operationName } }, operation.variablesJson));
    });
  }

  /** Sends any text as one WebSocket message (for malformed or oversized messages). */
  sendRaw(text: string | Buffer): void {
    this.socket.send(text);
  }

  /** Resolves when the server closes the socket, with its close code. */
  async whenClosed(): Promise<{ code: number; reason: string }> {
    if (!this.closed) await new Promise((resolve) => this.socket.once('close', resolve));
    return this.closed!;
  }

  private finish(id: string, end: { errors?: Answer['errors']; closed?: Answer['closed'] }): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    const last = waiting.messages[waiting.messages.length - 1];
    waiting.done({
      transport: 'ws',
      data: last?.data,
      errors: end.errors ?? last?.errors,
      closed: end.closed,
      text: waiting.raw.join('\n'),
    });
  }

  close(): void {
    this.socket.close();
  }
}
