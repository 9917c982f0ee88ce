import { isEnumType } from 'graphql';
import request from 'supertest';
import { t } from '../../src/i18n/i18n';
import { LABELLED_ENUMS, UNLABELLED_ENUMS } from '../../src/i18n/enum-labels';
import { Locale } from '../../src/i18n/locale';
import { Account, createPublishedProposal, loginAdmin, makeHost, register, uniqueEmail } from '../support/factories';
import { hearingInput, scheduleHearing } from '../support/hearings';
import { createRound, moveRound, roundInput } from '../support/voting';
import { committedSchema } from '../support/selections';
import { TestServer } from '../support/test-server';

/** Enum labels: what a person reads for a status, a category, a method... (README, "Labels"). */

const schema = committedSchema();
const schemaEnums = Object.values(schema.getTypeMap()).filter((type) => isEnumType(type) && !type.name.startsWith('__'));

describe('every enum of the schema is labelled or said to be unread', () => {
  it.each(schemaEnums.map((type) => [type.name]))('%s', (name) => {
    const type = schema.getType(name)!;
    if (!isEnumType(type)) throw new Error('not an enum');
    const labelled = (LABELLED_ENUMS as Record<string, Record<string, string>>)[name];
    const reason = UNLABELLED_ENUMS[name];
    // One list or the other, never both, never neither: a new enum fails here until someone decides.
    expect({ labelled: !!labelled, unlabelled: !!reason }).toEqual(labelled ? { labelled: true, unlabelled: false } : { labelled: false, unlabelled: true });
    if (reason) {
      expect(reason.length).toBeGreaterThan(20);
      return;
    }
    // The labelled values are exactly the schema's, each with a label in both languages.
    expect(Object.values(labelled).sort()).toEqual(type.getValues().map((v) => v.name).sort());
    for (const value of Object.values(labelled)) {
      const th = t(Locale.th, `enums.${name}.${value}`);
      const en = t(Locale.en, `enums.${name}.${value}`);
      expect(th).toMatch(/[\u0E00-\u0E7F]/);
      expect(en).not.toMatch(/[\u0E00-\u0E7F]/);
      expect(en).not.toBe(value);
    }
  });

  it('names no enum the schema does not have', () => {
    const names = new Set(schemaEnums.map((type) => type.name));
    expect([...Object.keys(LABELLED_ENUMS), ...Object.keys(UNLABELLED_ENUMS)].filter((name) => !names.has(name))).toEqual([]);
  });

  it('gives two values of one enum two different labels, in each language', () => {
    const clashes: string[] = [];
    for (const [name, values] of Object.entries(LABELLED_ENUMS as Record<string, Record<string, string>>)) {
      for (const locale of Object.values(Locale)) {
        const labels = Object.values(values).map((value) => t(locale, `enums.${name}.${value}`));
        if (new Set(labels).size !== labels.length) clashes.push(`${name} (${locale})`);
      }
    }
    expect(clashes).toEqual([]);
  });
});

describe('the labels query', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await TestServer.start();
  });
  afterAll(() => api.stop());

  const LABELS = `query($locale: Locale) { labels(locale: $locale) { name values { value label } } }`;
  const labelOf = (labels: { name: string; values: { value: string; label: string }[] }[], name: string, value: string) => labels.find((l) => l.name === name)?.values.find((v) => v.value === value)?.label;

  async function ask(headers: Record<string, string>, variables: Record<string, unknown> = {}) {
    const res = await request(api.http).post('/graphql').set('content-type', 'application/json').set(headers).send({ query: LABELS, variables });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.labels;
  }

  async function registerReading(locale: 'th' | 'en'): Promise<Account> {
    const email = uniqueEmail(locale);
    const data = await api.ok(`mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id } } }`, {
      input: { email, password: 'correct horse battery staple', displayName: 'Reader', kind: 'PERSON', locale },
    });
    return { id: data.register.user.id, email, token: data.register.accessToken, refreshToken: data.register.refreshToken };
  }

  it('answers in Thai by default, with every labelled enum and every value in declaration order', async () => {
    const labels = await ask({});
    expect(labels.map((l: { name: string }) => l.name)).toEqual(Object.keys(LABELLED_ENUMS));
    expect(labelOf(labels, 'ProposalStatus', 'IN_VOTE')).toBe('อยู่ระหว่างลงมติ');
    expect(labelOf(labels, 'ProposalCategory', 'FLOODING_AND_DRAINAGE')).toBe('น้ำท่วมและการระบายน้ำ');
    expect(labels.find((l: { name: string }) => l.name === 'HearingStatus').values.map((v: { value: string }) => v.value)).toEqual(['SCHEDULED', 'OPEN', 'IN_SESSION', 'ADJOURNED', 'CLOSED', 'CANCELLED']);
  });

  it('answers in English for Accept-Language: en, and in the language asked for whatever the header says', async () => {
    expect(labelOf(await ask({ 'accept-language': 'en-US,en;q=0.9' }), 'VotingMethod', 'RANKED_CHOICE')).toBe('Ranked choice');
    expect(labelOf(await ask({ 'accept-language': 'en' }, { locale: 'th' }), 'VotingMethod', 'RANKED_CHOICE')).toBe('เรียงลำดับความชอบ');
    expect(labelOf(await ask({}, { locale: 'en' }), 'Stance', 'AGAINST')).toBe('Against');
  });

  it("follows the signed-in account's language over the header", async () => {
    const english = await registerReading('en');
    const thai = await registerReading('th');
    expect(labelOf(await ask({ authorization: `Bearer ${english.token}`, 'accept-language': 'th' }), 'RoundStatus', 'CERTIFIED')).toBe('Certified');
    expect(labelOf(await ask({ authorization: `Bearer ${thai.token}`, 'accept-language': 'en' }), 'RoundStatus', 'CERTIFIED')).toBe('รับรองผลแล้ว');
  });

  it('over graphql-ws, in the language of connectionParams.locale', async () => {
    const { createClient } = await import('graphql-ws');
    const WebSocket = (await import('ws')).default;
    const client = createClient({ url: api.url.replace(/^http/, 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { locale: 'en' }, retryAttempts: 0 });
    try {
      const result = await new Promise<any>((resolve, reject) => {
        let value: unknown;
        client.subscribe({ query: `{ labels { name values { value label } } }` }, { next: (v) => (value = v), error: reject, complete: () => resolve(value) });
      });
      expect(result.errors).toBeUndefined();
      expect(labelOf(result.data.labels, 'CommentStatus', 'HIDDEN')).toBe('Hidden');
    } finally {
      await client.dispose();
    }
  });

  it('refuses a language it does not have, with BAD_USER_INPUT', async () => {
    const res = await api.gql(LABELS, { locale: 'fr' });
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const literal = await api.gql(`{ labels(locale: "th") { name } }`);
    expect(literal.errors?.[0].extensions?.code).toBeDefined();
  });

  it('puts the label beside the status where a screen shows it: proposals, hearings, voting rounds', async () => {
    const admin = await loginAdmin(api);
    const host = await makeHost(api, admin, '1007');
    const proposalId = await createPublishedProposal(api, await register(api));
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Canal walkway' }]));
    const round = await createRound(api, host, roundInput('1007', 'RANKED_CHOICE', [{ label: 'Yes' }, { label: 'No' }], { opensAt: new Date(Date.now() + 3600_000).toISOString(), closesAt: new Date(Date.now() + 7200_000).toISOString() }));
    await moveRound(api, host, round.id, 'scheduleVotingRound');
    const query = `query($p: ID!, $h: ID!, $r: ID!) {
      proposal(id: $p) { status statusLabel category categoryLabel }
      hearing(id: $h) { status statusLabel }
      votingRound(id: $r) { status statusLabel method methodLabel } }`;
    const ask = (headers: Record<string, string>) =>
      request(api.http).post('/graphql').set('content-type', 'application/json').set(headers).send({ query, variables: { p: proposalId, h: hearing.id, r: round.id } }).then((res) => {
        expect(res.body.errors).toBeUndefined();
        return res.body.data;
      });
    const thai = await ask({});
    const english = await ask({ 'accept-language': 'en' });
    const label = (locale: Locale, name: string, value: string) => t(locale, `enums.${name}.${value}`);
    expect(thai.proposal).toEqual({ status: 'PUBLISHED', statusLabel: 'เผยแพร่แล้ว', category: thai.proposal.category, categoryLabel: label(Locale.th, 'ProposalCategory', thai.proposal.category) });
    expect(english.proposal).toEqual({ status: 'PUBLISHED', statusLabel: 'Published', category: thai.proposal.category, categoryLabel: label(Locale.en, 'ProposalCategory', thai.proposal.category) });
    expect(thai.hearing).toEqual({ status: 'SCHEDULED', statusLabel: 'กำหนดการแล้ว' });
    expect(english.hearing).toEqual({ status: 'SCHEDULED', statusLabel: 'Scheduled' });
    expect(thai.votingRound).toEqual({ status: 'SCHEDULED', statusLabel: 'กำหนดการแล้ว', method: 'RANKED_CHOICE', methodLabel: 'เรียงลำดับความชอบ' });
    expect(english.votingRound).toEqual({ status: 'SCHEDULED', statusLabel: 'Scheduled', method: 'RANKED_CHOICE', methodLabel: 'Ranked choice' });
  });
});
