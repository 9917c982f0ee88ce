import { once } from 'node:events';
import WebSocket from 'ws';
import { createPublishedProposal, postComment, register } from '../support/factories';
import { TestServer } from '../support/test-server';

/** A graphql-transport-ws socket spoken by hand, keeping every message as the server wrote it. */
async function rawSocket(api: TestServer): Promise<{ socket: WebSocket; texts: string[] }> {
  const socket = new WebSocket(api.url.replace(/^http/, 'ws') + '/graphql', 'graphql-transport-ws');
  const texts: string[] = [];
  await once(socket, 'open');
  socket.send(JSON.stringify({ type: 'connection_init' }));
  await once(socket, 'message');
  socket.on('message', (data) => texts.push(data.toString()));
  return { socket, texts };
}

async function messagesFor(texts: string[], count: number): Promise<any[]> {
  while (texts.length < count) await new Promise((resolve) => setImmediate(resolve));
  return texts.map((text) => JSON.parse(text));
}

const WATCH = `subscription Watch($s: ID!) { commentAdded(subjectId: $s) { body author { displayName } } }`;

describe('live delivery: one payload for everyone who shares it, each with their own subscription id', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api?.stop());

  it('writes the same payload to every subscriber, whatever id they chose (even the text the server splices the payload at)', async () => {
    const author = await register(api);
    const proposalId = await createPublishedProposal(api, author);
    // The ids a client may choose: plain, one that holds the marker the payload is spliced at, one with quotes and a backslash.
    const ids = ['1', '\u0000payload\u0000', 'a"b\\c', 'payload'];
    const sockets = await Promise.all(ids.map(() => rawSocket(api)));
    await api.listen(() => sockets.forEach(({ socket }, i) => socket.send(JSON.stringify({ id: ids[i], type: 'subscribe', payload: { query: WATCH, variables: { s: proposalId } } }))), ids.length);

    const body = 'ต้นไม้ริมซอย "ร่มรื่น" \\ ดีมาก';
    await postComment(api, author, proposalId, { body });
    const received = await Promise.all(sockets.map(({ texts }) => messagesFor(texts, 1)));
    received.forEach(([message], i) => {
      expect(message.id).toBe(ids[i]);
      expect(message.type).toBe('next');
      expect(message.payload.data.commentAdded.body).toBe(body);
      expect(message.payload.extensions.cost).toBeDefined();
    });
    // Byte for byte the same payload: serialised once, not once per subscriber and not spliced into an id.
    const payloads = received.map(([message]) => JSON.stringify(message.payload));
    expect(new Set(payloads).size).toBe(1);
    for (const { socket } of sockets) socket.close();
  });

  it('still checks the variables of every subscriber to a document it already knows, and never keeps a document it refused', async () => {
    const author = await register(api);
    const proposalId = await createPublishedProposal(api, author);
    const { socket, texts } = await rawSocket(api);
    await api.listen(() => socket.send(JSON.stringify({ id: 'good', type: 'subscribe', payload: { query: WATCH, variables: { s: proposalId } } })), 1);
    // The same text, known now, with a variable of the wrong type.
    socket.send(JSON.stringify({ id: 'wrong', type: 'subscribe', payload: { query: WATCH, variables: { s: { not: 'an id' } } } }));
    // A document with an unknown field, twice: refused both times.
    const invalid = `subscription { commentAdded(subjectId: "x") { nope } }`;
    socket.send(JSON.stringify({ id: 'bad1', type: 'subscribe', payload: { query: invalid } }));
    socket.send(JSON.stringify({ id: 'bad2', type: 'subscribe', payload: { query: invalid } }));
    const messages = await messagesFor(texts, 3);
    const byId = new Map(messages.map((m) => [m.id, m]));
    expect(byId.get('wrong')).toMatchObject({ type: 'error' });
    expect(byId.get('wrong').payload[0].extensions.code).toBe('BAD_USER_INPUT');
    for (const id of ['bad1', 'bad2']) {
      expect(byId.get(id)).toMatchObject({ type: 'error' });
      expect(byId.get(id).payload[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    // The good subscription is untouched by its neighbours' refusals.
    await postComment(api, author, proposalId, { body: 'ยังฟังอยู่' });
    const [next] = (await messagesFor(texts, 4)).filter((m) => m.id === 'good');
    expect(next.payload.data.commentAdded.body).toBe('ยังฟังอยู่');
    socket.close();
  });
});
