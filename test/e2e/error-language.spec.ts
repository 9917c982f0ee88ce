import request from 'supertest';
import type { Client as WsClient } from 'graphql-ws';
import { Account, register } from '../support/factories';
import { Subscription, TestServer } from '../support/test-server';

/**
 * Every error a person reads comes in the request's language: the signed-in account's, else what the
 * client asked for (Accept-Language, graphql-ws connectionParams.locale), else Thai. The code never changes.
 */
const ACCOUNTS = `{ users { totalCount } }`;
const ONLY_ADMINS = { th: 'เฉพาะผู้ดูแลระบบเท่านั้นที่ดูรายชื่อบัญชีได้', en: 'Only administrators can list accounts.' };
const SIGN_IN = { th: 'กรุณาเข้าสู่ระบบก่อนทำรายการนี้', en: 'Sign in to do this.' };

/** The first answer of one operation over graphql-ws: its result, or the errors it was refused with. */
function overWs(client: WsClient, query: string, variables?: Record<string, unknown>): Promise<{ errors?: any[]; data?: any }> {
  return new Promise((resolve) => {
    let done = false;
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          if (done) return;
          done = true;
          resolve(value as { errors?: any[] });
          dispose();
        },
        error: (error) => {
          if (!done) resolve({ errors: Array.isArray(error) ? error : [error] });
          done = true;
        },
        complete: () => {
          if (!done) resolve({});
          done = true;
        },
      },
    );
  });
}

describe('the language of error messages', () => {
  let api: TestServer;
  let thai: Account;
  let english: Account;
  beforeAll(async () => {
    api = await TestServer.start();
    thai = await register(api, { locale: 'th' });
    english = await register(api, { locale: 'en' });
  });
  afterAll(() => api.stop());

  it('answers the same refusal in Thai to a Thai account and in English to an English one, whatever the header says', async () => {
    const toThai = await api.gql(ACCOUNTS, {}, thai.token, { 'accept-language': 'en' });
    const toEnglish = await api.gql(ACCOUNTS, {}, english.token, { 'accept-language': 'th' });
    expect(toThai.errors?.[0]).toMatchObject({ message: ONLY_ADMINS.th, extensions: { code: 'FORBIDDEN' } });
    expect(toEnglish.errors?.[0]).toMatchObject({ message: ONLY_ADMINS.en, extensions: { code: 'FORBIDDEN' } });
  });

  it.each([
    ['en', 'en-GB,en;q=0.9', SIGN_IN.en],
    ['th', 'th-TH,th;q=0.9,en;q=0.5', SIGN_IN.th],
    ['Thai when the header names neither language', 'fr-FR', SIGN_IN.th],
  ])('answers an anonymous request by Accept-Language: %s', async (_case, header, message) => {
    const res = await api.gql(`{ unreadNotificationCount }`, {}, undefined, { 'accept-language': header });
    expect(res.errors?.[0]).toMatchObject({ message, extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('answers in Thai when nothing says which language', async () => {
    const res = await api.gql(ACCOUNTS);
    expect(res.errors?.[0]).toMatchObject({ message: SIGN_IN.th, extensions: { code: 'UNAUTHENTICATED' } });
  });

  it("gives a BAD_USER_INPUT's fields in the reader's language, the summary too", async () => {
    const mutation = `mutation($input: RegisterInput!) { register(input: $input) { accessToken } }`;
    const input = { email: 'not an email', password: 'correct horse battery staple', displayName: 'Malee', kind: 'PERSON', locale: 'th' };
    const en = await api.gql(mutation, { input }, undefined, { 'accept-language': 'en' });
    const th = await api.gql(mutation, { input });
    expect(en.errors?.[0]).toMatchObject({ message: 'Invalid input. input.email: is not an email address', extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.email', message: 'is not an email address' }] } });
    expect(th.errors?.[0]).toMatchObject({ message: 'ข้อมูลที่กรอกไม่ถูกต้อง input.email: ไม่ใช่ที่อยู่อีเมล', extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'input.email', message: 'ไม่ใช่ที่อยู่อีเมล' }] } });
  });

  it('names the thing not found in the same language as the sentence', async () => {
    const missing = Buffer.from('VotingRound:00000000-0000-4000-8000-000000000000').toString('base64url');
    const query = `mutation($input: CastBallotInput!) { castBallot(input: $input) { receipt { receipt } } }`;
    const option = Buffer.from('VotingOption:00000000-0000-4000-8000-000000000000').toString('base64url');
    const variables = { input: { roundId: missing, choices: [option], idempotencyKey: 'k-1234567890abcdef' } };
    const en = await api.gql(query, variables, english.token);
    const th = await api.gql(query, variables, thai.token);
    expect(en.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(th.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(en.errors?.[0].message).toBe('Voting round was not found.');
    expect(th.errors?.[0].message).toBe('ไม่พบรอบการลงคะแนน');
  });

  it('answers over graphql-ws in the language of connectionParams.locale, else Thai', async () => {
    const en = api.wsClient(undefined, { locale: 'en' });
    const none = api.wsClient();
    const bogus = api.wsClient(undefined, { locale: 'fr' });
    try {
      expect((await overWs(en, ACCOUNTS)).errors?.[0]).toMatchObject({ message: SIGN_IN.en, extensions: { code: 'UNAUTHENTICATED' } });
      expect((await overWs(none, ACCOUNTS)).errors?.[0]).toMatchObject({ message: SIGN_IN.th, extensions: { code: 'UNAUTHENTICATED' } });
      expect((await overWs(bogus, ACCOUNTS)).errors?.[0]).toMatchObject({ message: SIGN_IN.th, extensions: { code: 'UNAUTHENTICATED' } });
      // A subscription refused at its start, in the same language.
      const refused = await overWs(en, `subscription { residencyUpdated { id } }`);
      expect(refused.errors?.[0]).toMatchObject({ message: SIGN_IN.en, extensions: { code: 'UNAUTHENTICATED' } });
    } finally {
      await Promise.all([en.dispose(), none.dispose(), bogus.dispose()]);
    }
  });

  it("answers over graphql-ws in the account's language before connectionParams.locale", async () => {
    const englishSocket = api.wsClient(english.token, { locale: 'th' });
    const thaiSocket = api.wsClient(thai.token, { locale: 'en' });
    try {
      expect((await overWs(englishSocket, ACCOUNTS)).errors?.[0]).toMatchObject({ message: ONLY_ADMINS.en, extensions: { code: 'FORBIDDEN' } });
      expect((await overWs(thaiSocket, ACCOUNTS)).errors?.[0]).toMatchObject({ message: ONLY_ADMINS.th, extensions: { code: 'FORBIDDEN' } });
    } finally {
      await Promise.all([englishSocket.dispose(), thaiSocket.dispose()]);
    }
  });

  it('answers a plain-HTTP download refusal by Accept-Language, with the same code and status', async () => {
    const en = await request(api.http).get('/voting-rounds/not-a-round/results.json').set('accept-language', 'en');
    const th = await request(api.http).get('/voting-rounds/not-a-round/results.json');
    expect(en.status).toBe(404);
    expect(th.status).toBe(404);
    expect(en.body).toEqual({ errors: [{ message: 'Voting round was not found.', extensions: { code: 'NOT_FOUND' } }] });
    expect(th.body).toEqual({ errors: [{ message: 'ไม่พบรอบการลงคะแนน', extensions: { code: 'NOT_FOUND' } }] });
  });

  it('leaves graphql-js messages (parse, validation) in English: they are for developers', async () => {
    const res = await api.gql(`{ nope }`);
    expect(res.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.errors?.[0].message).toMatch(/^Cannot query field "nope"/);
  });
});

describe('the language of a rate-limited answer', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start({ env: { RATE_LIMIT_PER_IP: '4' } });
  });
  afterAll(() => api.stop());

  it('answers 429 in the language of Accept-Language, Thai without one, RATE_LIMITED either way', async () => {
    for (let i = 0; i < 4; i++) await api.gql(`{ __typename }`);
    const en = await request(api.http).post('/graphql').set('accept-language', 'en').send({ query: '{ __typename }' });
    const th = await request(api.http).post('/graphql').send({ query: '{ __typename }' });
    expect(en.status).toBe(429);
    expect(th.status).toBe(429);
    expect(en.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^Too many requests from this address: try again in \d+ seconds\.$/), extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
    expect(th.body.errors[0]).toMatchObject({ message: expect.stringMatching(/^คำขอจากที่อยู่นี้มากเกินไป กรุณาลองใหม่ในอีก \d+ วินาที$/), extensions: { code: 'RATE_LIMITED', retryAfter: expect.any(Number) } });
  });
});

describe('the language of a refusal before a graphql-ws operation starts', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start({ env: { WS_SUBSCRIPTIONS_PER_CONNECTION: '1' } });
  });
  afterAll(() => api.stop());

  it.each([
    ['en', { locale: 'en' }, /^Too many subscriptions on this connection \(at most 1\): try again in 60 seconds\.$/],
    ['th', {}, /^การสมัครรับข้อมูลบนการเชื่อมต่อนี้ \(ได้สูงสุด 1 รายการ\)มากเกินไป กรุณาลองใหม่ในอีก 60 วินาที$/],
  ])('refuses a subscription over the per-connection limit in the socket language (%s), RATE_LIMITED either way', async (_case, params, message) => {
    const client = api.wsClient(undefined, params);
    const LIVE = `subscription { proposalsInDistrictUpdated(districtCode: "1001") { kind } }`;
    try {
      // The first is listening before the second is sent: the second is over the limit, not racing it.
      const first = await api.listen(() => new Subscription(client, LIVE));
      const refused = await overWs(client, LIVE);
      expect(refused.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'RATE_LIMITED', retryAfter: 60 } });
      first.close();
    } finally {
      await client.dispose();
    }
  });
});
