import type { WebSocket } from 'ws';

const TEXT = Symbol('payload text');
/** What a payload given as text is written as, before the socket puts the text in its place. */
const MARK = '\u0000payload\u0000';
const MARK_JSON = JSON.stringify(MARK);

/** A payload already serialised: graphql-ws writes `text` as the message's payload, as it is. */
export interface PayloadText {
  [TEXT]: string;
}

export function payloadText(text: string): PayloadText {
  return { [TEXT]: text };
}

/** The text graphql-ws is serialising, between the replacer that meets it and the socket that writes it. */
let pending: string | undefined;

/**
 * graphql-ws's `jsonMessageReplacer`: a payload given as text is serialised as a marker, and the text
 * is kept for the socket's `send`, which graphql-ws calls right after, synchronously (see `sendsPayloadTexts`).
 */
export function replacePayloadText(key: string, value: unknown): unknown {
  if (key !== 'payload' || typeof value !== 'object' || value === null || !(TEXT in value)) return value;
  pending = (value as PayloadText)[TEXT];
  return MARK;
}

/**
 * Makes a socket put the payload text in place of its marker. graphql-ws serialises each message per
 * subscriber (its id differs); the payload, the same for everyone who shares a result, is serialised
 * once and only spliced in here. Nothing runs between the serialisation and the write, so the text
 * kept aside is always this message's.
 */
export function sendsPayloadTexts(socket: WebSocket): void {
  // One function for every socket, not a bound `send` and a closure kept per socket.
  socket.send = sendWithPayloadText as WebSocket['send'];
}

function sendWithPayloadText(this: WebSocket, data: unknown, ...rest: unknown[]): void {
  const text = pending;
  pending = undefined;
  if (text !== undefined && typeof data === 'string') {
    // The payload is the message's last member: a client's id holding the marker cannot be taken for it.
    const at = data.lastIndexOf(MARK_JSON);
    if (at >= 0) data = data.slice(0, at) + text + data.slice(at + MARK_JSON.length);
  }
  // The socket's own `send`, from its class: this function took its place on the socket.
  (Object.getPrototypeOf(this) as { send: (...args: unknown[]) => void }).send.call(this, data, ...rest);
}
