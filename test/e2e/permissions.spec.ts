import { randomUUID } from 'node:crypto';
import { DOMAIN_TABLES, tableFingerprint } from '../support/fingerprint';
import { Client } from 'pg';
import {
  Account,
  loginAdmin,
  makeHost,
  makeResident,
  moveReport,
  reportInput,
  submitReport,
  register,
  requestResidency,
  appointHost,
  createProposal,
  createPublishedProposal,
  endorseProposal,
  hideComment,
  hideProposal,
  inviteCoSponsor,
  notificationIds,
  postComment,
  proposalInput,
} from '../support/factories';
import { seedAnsweredQuestionnaire } from '../support/questionnaire-results';
import {
  askQuestion,
  askToSpeak,
  attend,
  endSpeech,
  giveFloor,
  hearingInput,
  HearingMove,
  hoursFromNow,
  moveHearing,
  registerFor,
  scheduleHearing,
  statementIds,
} from '../support/hearings';
import { createQuestionnaire } from '../support/questionnaires';
import { ADMIN_PASSWORD, TestServer } from '../support/test-server';
import { CAST, cast, closeRound, createRound, moveRound, openRound, qualifiedProposal, roundInput } from '../support/voting';
import { fromGlobalId } from '../../src/common/relay/global-id';

type Actor = 'anonymous' | 'member' | 'resident' | 'otherHost' | 'rightHost' | 'admin';
const ACTORS: Actor[] = ['anonymous', 'member', 'resident', 'otherHost', 'rightHost', 'admin'];
const DISTRICT = '1007';
const OTHER_DISTRICT = '1001';

/** Signed-in callers all get `code`; anonymous ones are asked to sign in. */
function signedIn(code: string): Record<Actor, string> {
  return { anonymous: 'UNAUTHENTICATED', member: code, resident: code, otherHost: code, rightHost: code, admin: code };
}
/** Hosts of the district and administrators only. */
const MODERATORS: Record<Actor, string> = { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'OK', admin: 'OK' };


/**
 * Every role-guarded operation, tried by each kind of caller. The expected outcome is either OK or the
 * error code; a refused mutation must leave the database as it was.
 */
describe('permission matrix', () => {
  let api: TestServer;
  let db: Client;
  const actors = {} as Record<Actor, Account | undefined>;
  /** The "someone else" whose proposals and comments the actors act on. */
  let author: Account;
  /** Owns what anonymous callers try to act on "as their own", and is invited where an actor must not be. */
  let bystander: Account;
  /** A published proposal of DISTRICT whose discussion holds the comments acted on. */
  let discussed: string;
  /** A verified resident of DISTRICT, who votes in the rounds that are closed for certification. */
  let voter: Account;
  let nextThreshold = 20;

  /** Whose thing an actor acts on when "own" is the point (anonymous callers own nothing). */
  const owner = (actor: Actor): Account => actors[actor] ?? bystander;

  beforeAll(async () => {
    // Six actors post in quick succession on one discussion; the comment rate limit is not what is tested here.
    api = await TestServer.start({ env: { COMMENT_RATE_LIMIT: '10000', REPORTS_PER_HOUR: '10000' } });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    const admin = await loginAdmin(api);
    actors.anonymous = undefined;
    actors.member = await register(api, { displayName: 'Plain member' });
    actors.resident = await makeResident(api, admin, OTHER_DISTRICT);
    actors.otherHost = await makeHost(api, admin, OTHER_DISTRICT);
    actors.rightHost = await makeHost(api, admin, DISTRICT);
    actors.admin = admin;
    author = await register(api, { displayName: 'Author of the plans' });
    bystander = await register(api, { displayName: 'Bystander' });
    discussed = await createPublishedProposal(api, author, { districtCode: DISTRICT, title: 'A footbridge over Khlong Saen Saep' });
    voter = await makeResident(api, admin, DISTRICT);
  });
  afterAll(async () => {
    await db.end();
    await api.stop();
  });

  /** Row counts and a digest of every row (statuses, texts, counters, read marks) of the tables above. */
  async function snapshot(): Promise<string> {
    return JSON.stringify(await tableFingerprint(db, DOMAIN_TABLES), null, 1);
  }

  async function attempt(actor: Actor, query: string, variables: Record<string, unknown>): Promise<string> {
    const res = await api.gql(query, variables, actors[actor]?.token);
    return res.errors ? String(res.errors[0].extensions?.code) : 'OK';
  }

  interface Case {
    name: string;
    expected: Record<Actor, string>;
    /**
     * Builds the variables afresh for each actor (a new target, so one success does not affect the next).
     * Gets the actor, for cases where the target is the actor's own.
     */
    setup: (actor: Actor) => Promise<Record<string, unknown>>;
    query: string;
    mutates: boolean;
    /** Even a success changes nothing (acting on something of someone else's that the caller can only touch their own part of). */
    noop?: boolean;
  }

  const PROPOSAL_ID = `id status`;
  const COMMENT_ID = `id status`;

  const HEARING_ID = `id status`;

  type HearingState = 'SCHEDULED' | 'OPEN' | 'IN_SESSION' | 'ADJOURNED';
  const MOVES: Record<HearingState, HearingMove[]> = {
    SCHEDULED: [],
    OPEN: ['openHearing'],
    IN_SESSION: ['openHearing', 'startHearingSession'],
    ADJOURNED: ['openHearing', 'startHearingSession', 'adjournHearing'],
  };
  /** A small hearing of DISTRICT with two items; an hour per speech, so that no turn runs out while the matrix runs. */
  const hearingOf = (overrides: Record<string, unknown> = {}) =>
    hearingInput(DISTRICT, [{ title: 'The footbridge' }, { title: 'Open floor' }], { capacity: 3, speakerTimeLimitSeconds: 3600, ...overrides });
  /** A fresh hearing in the given state, scheduled and run by the administrator. */
  async function hearingIn(state: HearingState): Promise<string> {
    const { id } = await scheduleHearing(api, actors.admin!, hearingOf());
    await moveHearing(api, actors.admin!, id, ...MOVES[state]);
    return id;
  }
  /** A fresh hearing in the given state with `person` checked in at the door. */
  async function hearingAttendedBy(state: 'OPEN' | 'IN_SESSION', person: Account): Promise<string> {
    const h = await hearingIn(state);
    await attend(api, actors.admin!, h, person);
    return h;
  }

  const ROUND_ID = `id status`;

  type RoundState = 'DRAFT' | 'SCHEDULED' | 'OPEN' | 'CLOSED';
  /**
   * A round of DISTRICT on a fresh qualified proposal (by the author, endorsed by the bystander) and a free option.
   * Unless it is to be opened at once, it opens in an hour, so that the clock does not move it while the matrix runs.
   */
  async function roundOf(later: boolean): Promise<Record<string, unknown>> {
    const proposalId = await qualifiedProposal(api, actors.admin!, DISTRICT, 'A ramp for the footbridge', author, bystander);
    const times = later ? { opensAt: hoursFromNow(1), closesAt: hoursFromNow(3) } : {};
    return roundInput(DISTRICT, 'SINGLE_CHOICE', [{ proposalId }, { label: 'Neither' }], times);
  }
  /**
   * A fresh round in the given state, created and run by the administrator; a closed one holds the voter's ballot
   * for its proposal, so that certifying it adopts the proposal.
   */
  async function roundIn(state: RoundState): Promise<string> {
    if (state === 'DRAFT' || state === 'SCHEDULED') {
      const { id } = await createRound(api, actors.admin!, await roundOf(true));
      if (state === 'SCHEDULED') await moveRound(api, actors.admin!, id, 'scheduleVotingRound');
      return id;
    }
    const round = await openRound(api, actors.admin!, await roundOf(false));
    if (state === 'CLOSED') {
      const res = await cast(api, voter, round.id, [round.options[0].id]);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      await closeRound(api, actors.admin!, round.id);
    }
    return round.id;
  }
  /** A ballot for the first option of a fresh open yes/no round of the district. */
  async function ballotIn(districtCode: string): Promise<Record<string, unknown>> {
    const round = await openRound(api, actors.admin!, roundInput(districtCode, 'SINGLE_CHOICE', [{ label: 'Yes' }, { label: 'No' }]));
    return { i: { roundId: round.id, choices: [round.options[0].id], idempotencyKey: randomUUID() } };
  }

  const cases: Case[] = [
    {
      name: 'appointHost',
      query: `mutation($u: ID!, $d: String!) { appointHost(input: { userId: $u, districtCode: $d }) { user { id } } }`,
      setup: async () => ({ u: (await register(api)).id, d: DISTRICT }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'changePassword (a wrong current password)',
      query: `mutation { changePassword(input: { currentPassword: "not the password of anyone", newPassword: "long enough passphrase 9" }) { endedSessions } }`,
      setup: async () => ({}),
      // Everyone's own password only, and only knowing the current one (the right one is in account.spec).
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'updateProfile (own)',
      query: `mutation { updateProfile(input: { emailPreferences: { hearingReminders: true } }) { user { id } } }`,
      setup: async () => ({}),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'mySessions (query)',
      query: `{ mySessions { id current } }`,
      setup: async () => ({}),
      expected: signedIn('OK'),
      mutates: false,
    },
    {
      name: "endSession (another account's session)",
      query: `mutation($s: ID!) { endSession(input: { sessionId: $s }) { session { id } } }`,
      setup: async () => ({ s: (await api.ok(`{ mySessions { id } }`, {}, (await register(api)).token)).mySessions[0].id }),
      // NOT_FOUND rather than FORBIDDEN, even for administrators: session ids cannot be probed.
      expected: signedIn('NOT_FOUND'),
      mutates: true,
    },
    {
      name: 'requestPasswordReset',
      query: `mutation { requestPasswordReset(input: { email: "nobody.at.all@example.org" }) { accepted } }`,
      setup: async () => ({}),
      expected: { anonymous: 'OK', member: 'OK', resident: 'OK', otherHost: 'OK', rightHost: 'OK', admin: 'OK' },
      mutates: false,
    },
    {
      name: 'resetPassword (an unknown token)',
      query: `mutation { resetPassword(input: { token: "an-unknown-token-an-unknown-token-01234567", newPassword: "long enough passphrase 9" }) { passwordChanged } }`,
      setup: async () => ({}),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'UNAUTHENTICATED', resident: 'UNAUTHENTICATED', otherHost: 'UNAUTHENTICATED', rightHost: 'UNAUTHENTICATED', admin: 'UNAUTHENTICATED' },
      mutates: true,
    },
    {
      name: 'removeHost',
      query: `mutation($u: ID!, $d: String!) { removeHost(input: { userId: $u, districtCode: $d }) { user { id } } }`,
      setup: async () => {
        const target = await register(api);
        await appointHost(api, actors.admin!, target, DISTRICT);
        return { u: target.id, d: DISTRICT };
      },
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'reviewResidency',
      query: `mutation($id: ID!) { reviewResidency(input: { residencyId: $id, decision: APPROVE, note: "ok" }) { residency { id } } }`,
      setup: async () => ({ id: await requestResidency(api, await register(api), DISTRICT) }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'requestResidency',
      query: `mutation($d: String!) { requestResidency(input: { districtCode: $d }) { residency { id } } }`,
      setup: async () => ({ d: DISTRICT }),
      // Any signed-in person may ask (the resident of another district is moving); organisations are tested apart.
      expected: { anonymous: 'UNAUTHENTICATED', member: 'OK', resident: 'OK', otherHost: 'OK', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'residencyRequests (query)',
      query: `query($d: String!) { residencyRequests(districtCode: $d) { totalCount } }`,
      setup: async () => ({ d: DISTRICT }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'OK', admin: 'OK' },
      mutates: false,
    },
    {
      name: 'users (query)',
      query: `{ users(first: 5) { totalCount } }`,
      setup: async () => ({}),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: false,
    },
    // ---- proposals ----------------------------------------------------------------------------
    {
      name: 'createProposal',
      query: `mutation($input: CreateProposalInput!) { createProposal(input: $input) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => ({ input: proposalInput({ districtCode: DISTRICT }) }),
      // Any account may start a plan for any district (organisations propose too).
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'updateProposal (own draft)',
      query: `mutation($input: UpdateProposalInput!) { updateProposal(input: $input) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async (actor) => ({ input: { proposalId: await createProposal(api, owner(actor)), title: 'Shade trees and benches along Soi Chula 12' } }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "updateProposal (someone else's draft)",
      query: `mutation($input: UpdateProposalInput!) { updateProposal(input: $input) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => ({ input: { proposalId: await createProposal(api, author), title: 'Taken over' } }),
      // Drafts are seen by their author and co-sponsors only, so for everyone else they do not exist.
      expected: signedIn('NOT_FOUND'),
      mutates: true,
    },
    {
      name: "updateProposal (someone else's published)",
      query: `mutation($input: UpdateProposalInput!) { updateProposal(input: $input) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => ({ input: { proposalId: await createPublishedProposal(api, author), title: 'Taken over' } }),
      // Seen by everyone, edited by its author and accepted co-sponsors only: not by hosts, not by administrators.
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'publishProposal (own draft)',
      query: `mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async (actor) => ({ id: await createProposal(api, owner(actor)) }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "publishProposal (someone else's draft)",
      query: `mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => ({ id: await createProposal(api, author) }),
      expected: signedIn('NOT_FOUND'),
      mutates: true,
    },
    {
      name: 'withdrawProposal (own published)',
      query: `mutation($id: ID!) { withdrawProposal(input: { proposalId: $id, note: "We found funding elsewhere" }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async (actor) => ({ id: await createPublishedProposal(api, owner(actor)) }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "withdrawProposal (someone else's published)",
      query: `mutation($id: ID!) { withdrawProposal(input: { proposalId: $id, note: "Withdrawn" }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => ({ id: await createPublishedProposal(api, author) }),
      // Only the author withdraws; hosts hide instead, administrators too.
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'hideProposal',
      query: `mutation($id: ID!) { hideProposal(input: { proposalId: $id, reason: "Contains a private phone number" }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => ({ id: await createPublishedProposal(api, author) }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'restoreProposal',
      query: `mutation($id: ID!) { restoreProposal(input: { proposalId: $id, reason: "The number was removed" }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => {
        const id = await createPublishedProposal(api, author);
        await hideProposal(api, actors.admin!, id);
        return { id };
      },
      // A hidden proposal is seen by its author, co-sponsors and moderators only: to the others it does not exist.
      expected: { anonymous: 'UNAUTHENTICATED', member: 'NOT_FOUND', resident: 'NOT_FOUND', otherHost: 'NOT_FOUND', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'inviteCoSponsor (own draft)',
      query: `mutation($p: ID!, $u: ID!) { inviteCoSponsor(input: { proposalId: $p, userId: $u }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async (actor) => ({ p: await createProposal(api, owner(actor)), u: owner(actor) === bystander ? author.id : bystander.id }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "inviteCoSponsor (someone else's published)",
      query: `mutation($p: ID!, $u: ID!) { inviteCoSponsor(input: { proposalId: $p, userId: $u }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => ({ p: await createPublishedProposal(api, author), u: bystander.id }),
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'respondToCoSponsorInvitation (own invitation)',
      query: `mutation($p: ID!) { respondToCoSponsorInvitation(input: { proposalId: $p, accept: true }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async (actor) => {
        const p = await createProposal(api, author);
        await inviteCoSponsor(api, author, p, owner(actor));
        return { p };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "respondToCoSponsorInvitation (someone else's invitation, on a draft)",
      query: `mutation($p: ID!) { respondToCoSponsorInvitation(input: { proposalId: $p, accept: true }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => {
        const p = await createProposal(api, author);
        await inviteCoSponsor(api, author, p, bystander);
        return { p };
      },
      // The draft is visible to its author and invitees only.
      expected: signedIn('NOT_FOUND'),
      mutates: true,
    },
    {
      name: "respondToCoSponsorInvitation (someone else's invitation, on a published proposal)",
      query: `mutation($p: ID!) { respondToCoSponsorInvitation(input: { proposalId: $p, accept: true }) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => {
        const p = await createProposal(api, author);
        await inviteCoSponsor(api, author, p, bystander);
        await api.ok(`mutation($id: ID!) { publishProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: p }, author.token);
        return { p };
      },
      // Everyone sees it now; the service answers that the caller has no open invitation.
      expected: signedIn('ILLEGAL_STATE'),
      mutates: true,
    },
    {
      name: "endorseProposal (someone else's published)",
      query: `mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { ${PROPOSAL_ID} endorsementCount } } }`,
      setup: async () => ({ id: await createPublishedProposal(api, author) }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'endorseProposal (own published)',
      query: `mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { ${PROPOSAL_ID} endorsementCount } } }`,
      setup: async (actor) => ({ id: await createPublishedProposal(api, owner(actor)) }),
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'withdrawEndorsement (own endorsement)',
      query: `mutation($id: ID!) { withdrawEndorsement(input: { proposalId: $id }) { proposal { ${PROPOSAL_ID} endorsementCount } } }`,
      setup: async (actor) => {
        const id = await createPublishedProposal(api, author);
        await endorseProposal(api, owner(actor), id);
        return { id };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "withdrawEndorsement (someone else's endorsement)",
      query: `mutation($id: ID!) { withdrawEndorsement(input: { proposalId: $id }) { proposal { ${PROPOSAL_ID} endorsementCount } } }`,
      setup: async () => {
        const id = await createPublishedProposal(api, author);
        await endorseProposal(api, bystander, id);
        return { id };
      },
      // Answers with the proposal as it is: the caller has no endorsement to withdraw, and the bystander's stays.
      expected: signedIn('OK'),
      mutates: true,
      noop: true,
    },
    {
      name: 'postProgressUpdate',
      query: `mutation($input: PostProgressUpdateInput!) { postProgressUpdate(input: $input) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => {
        const id = await createPublishedProposal(api, author);
        // Only a vote adopts a plan, and votes are a later capability: the API cannot make a proposal ADOPTED yet,
        // so the test puts it there directly, as the vote will.
        await db.query(`UPDATE proposals SET status = 'ADOPTED' WHERE id = $1`, [fromGlobalId(id, 'Proposal')]);
        return { input: { proposalId: id, text: 'Contractor chosen; planting starts in June.', percent: 10 } };
      },
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'setEndorsementThreshold',
      query: `mutation($d: String!, $t: Int!) { setEndorsementThreshold(input: { districtCode: $d, threshold: $t }) { district { code endorsementThreshold } } }`,
      // A new value each time, so that every success is a change.
      setup: async () => ({ d: DISTRICT, t: nextThreshold++ }),
      expected: MODERATORS,
      mutates: true,
    },

    // ---- discussions --------------------------------------------------------------------------
    {
      name: 'postComment',
      query: `mutation($input: PostCommentInput!) { postComment(input: $input) { comment { ${COMMENT_ID} } } }`,
      setup: async () => ({ input: { subjectId: discussed, body: 'Please keep the bridge step-free.', stance: 'FOR' } }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'editComment (own)',
      query: `mutation($input: EditCommentInput!) { editComment(input: $input) { comment { ${COMMENT_ID} } } }`,
      setup: async (actor) => ({ input: { commentId: await postComment(api, owner(actor), discussed), body: 'Edited: more shade would help the vendors too.' } }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "editComment (someone else's)",
      query: `mutation($input: EditCommentInput!) { editComment(input: $input) { comment { ${COMMENT_ID} } } }`,
      setup: async () => ({ input: { commentId: await postComment(api, author, discussed), body: 'Words put in your mouth' } }),
      // Moderators hide; nobody, administrators included, rewrites another's words.
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'deleteComment (own)',
      query: `mutation($id: ID!) { deleteComment(input: { commentId: $id }) { comment { ${COMMENT_ID} } } }`,
      setup: async (actor) => ({ id: await postComment(api, owner(actor), discussed) }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "deleteComment (someone else's)",
      query: `mutation($id: ID!) { deleteComment(input: { commentId: $id }) { comment { ${COMMENT_ID} } } }`,
      setup: async () => ({ id: await postComment(api, author, discussed) }),
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'reactToComment',
      query: `mutation($id: ID!) { reactToComment(input: { commentId: $id, reaction: THANKS }) { comment { ${COMMENT_ID} reactionCount } } }`,
      setup: async () => ({ id: await postComment(api, author, discussed) }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'flagComment',
      query: `mutation($id: ID!) { flagComment(input: { commentId: $id, reason: "Looks like spam" }) { comment { ${COMMENT_ID} } } }`,
      setup: async () => ({ id: await postComment(api, author, discussed) }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'hideComment',
      query: `mutation($id: ID!) { hideComment(input: { commentId: $id, reason: "Personal attack" }) { comment { ${COMMENT_ID} } } }`,
      setup: async () => ({ id: await postComment(api, author, discussed) }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'restoreComment',
      query: `mutation($id: ID!) { restoreComment(input: { commentId: $id, reason: "On review, fair criticism" }) { comment { ${COMMENT_ID} } } }`,
      setup: async () => {
        const id = await postComment(api, author, discussed);
        await hideComment(api, actors.admin!, id);
        return { id };
      },
      // A hidden comment stays in the thread (its text withheld), so others get FORBIDDEN rather than NOT_FOUND.
      expected: MODERATORS,
      mutates: true,
    },

    // ---- questionnaire results ----------------------------------------------------------------
    {
      name: 'hideQuestionnaireAnswer',
      query: `mutation($id: ID!) { hideQuestionnaireAnswer(input: { questionnaireTextAnswerId: $id, reason: "Names a neighbour" }) { answer { id hidden } } }`,
      // A closed questionnaire: everyone sees the answer, so others are refused rather than not told of it.
      setup: async () => ({ id: (await seedAnsweredQuestionnaire(api, actors.admin!.id, { districtCode: DISTRICT })).textAnswerId }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'unhideQuestionnaireAnswer',
      query: `mutation($id: ID!) { unhideQuestionnaireAnswer(input: { questionnaireTextAnswerId: $id, reason: "The name was taken out" }) { answer { id hidden } } }`,
      setup: async () => {
        const id = (await seedAnsweredQuestionnaire(api, actors.admin!.id, { districtCode: DISTRICT })).textAnswerId;
        await api.ok(`mutation($id: ID!) { hideQuestionnaireAnswer(input: { questionnaireTextAnswerId: $id, reason: "Names a neighbour" }) { answer { id } } }`, { id }, actors.admin!.token);
        return { id };
      },
      // Hidden, it is visible to the staff only: others are not told it exists.
      expected: { anonymous: 'UNAUTHENTICATED', member: 'NOT_FOUND', resident: 'NOT_FOUND', otherHost: 'NOT_FOUND', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },

    // ---- notifications ------------------------------------------------------------------------
    {
      name: 'markNotificationsRead (own)',
      query: `mutation($ids: [ID!]) { markNotificationsRead(input: { notificationIds: $ids }) { changed } }`,
      setup: async (actor) => {
        await inviteCoSponsor(api, author, await createProposal(api, author), owner(actor));
        return { ids: (await notificationIds(api, owner(actor))).slice(0, 1) };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "markNotificationsRead (someone else's)",
      query: `mutation($ids: [ID!]) { markNotificationsRead(input: { notificationIds: $ids }) { changed } }`,
      setup: async () => {
        await inviteCoSponsor(api, author, await createProposal(api, author), bystander);
        return { ids: (await notificationIds(api, bystander)).slice(0, 1) };
      },
      // Answers 0: only the caller's own notifications are ever marked.
      expected: signedIn('OK'),
      mutates: true,
      noop: true,
    },

    // ---- hearings -----------------------------------------------------------------------------
    // Each setup builds a fresh hearing in the state the mutation needs, so one caller's success leaves the next
    // caller's target untouched. The administrator sets up (schedules, runs the door and the floor).
    {
      name: 'scheduleHearing',
      query: `mutation($i: ScheduleHearingInput!) { scheduleHearing(input: $i) { hearing { ${HEARING_ID} } } }`,
      setup: async () => ({ i: hearingOf() }),
      // The otherHost is a host, but of another district.
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'rescheduleHearing',
      query: `mutation($i: RescheduleHearingInput!) { rescheduleHearing(input: $i) { hearing { ${HEARING_ID} } } }`,
      setup: async () => ({ i: { hearingId: await hearingIn('SCHEDULED'), startsAt: hoursFromNow(26), endsAt: hoursFromNow(28), capacity: 5 } }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'setHearingAgenda',
      query: `mutation($i: SetHearingAgendaInput!) { setHearingAgenda(input: $i) { hearing { ${HEARING_ID} } } }`,
      setup: async () => ({ i: { hearingId: await hearingIn('SCHEDULED'), agenda: [{ title: 'The footbridge, revised', plannedMinutes: 45 }] } }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'openHearing',
      query: `mutation($h: ID!) { openHearing(input: { hearingId: $h }) { hearing { ${HEARING_ID} } } }`,
      setup: async () => ({ h: await hearingIn('SCHEDULED') }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'startHearingSession',
      query: `mutation($h: ID!) { startHearingSession(input: { hearingId: $h }) { hearing { ${HEARING_ID} } } }`,
      setup: async () => ({ h: await hearingIn('OPEN') }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'adjournHearing',
      query: `mutation($h: ID!) { adjournHearing(input: { hearingId: $h }) { hearing { ${HEARING_ID} } } }`,
      setup: async () => ({ h: await hearingIn('IN_SESSION') }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'resumeHearing',
      query: `mutation($h: ID!) { resumeHearing(input: { hearingId: $h }) { hearing { ${HEARING_ID} } } }`,
      setup: async () => ({ h: await hearingIn('ADJOURNED') }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'closeHearing',
      query: `mutation($h: ID!) { closeHearing(input: { hearingId: $h, summary: "Residents support the footbridge with a ramp." }) { hearing { ${HEARING_ID} } } }`,
      setup: async () => ({ h: await hearingIn('IN_SESSION') }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'cancelHearing',
      query: `mutation($h: ID!) { cancelHearing(input: { hearingId: $h, reason: "Flooding around the district office" }) { hearing { ${HEARING_ID} } } }`,
      setup: async () => {
        const h = await hearingIn('SCHEDULED');
        // A registrant, so that a cancellation also writes a notification.
        await registerFor(api, bystander, h);
        return { h };
      },
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'registerForHearing',
      query: `mutation($h: ID!) { registerForHearing(input: { hearingId: $h }) { registration { id status } } }`,
      setup: async () => ({ h: await hearingIn('SCHEDULED') }),
      // Hearings are open to everyone signed in, residents of the district or not; each registers only themself.
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'cancelRegistration (own registration)',
      query: `mutation($h: ID!) { cancelRegistration(input: { hearingId: $h }) { registration { id status } } }`,
      setup: async (actor) => {
        const h = await hearingIn('SCHEDULED');
        await registerFor(api, owner(actor), h);
        return { h };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "cancelRegistration (someone else's registration)",
      query: `mutation($h: ID!) { cancelRegistration(input: { hearingId: $h }) { registration { id status } } }`,
      setup: async () => {
        const h = await hearingIn('SCHEDULED');
        await registerFor(api, bystander, h);
        return { h };
      },
      // Only the caller's own registration is ever cancelled, by anyone, hosts and administrators included:
      // the caller has none, and the bystander's stays.
      expected: signedIn('NOT_FOUND'),
      mutates: true,
    },
    {
      name: 'checkIn (by registration)',
      query: `mutation($i: CheckInInput!) { checkIn(input: $i) { registration { id checkedInAt } } }`,
      setup: async () => {
        const h = await hearingIn('OPEN');
        return { i: { hearingId: h, registrationId: (await registerFor(api, bystander, h)).id } };
      },
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'checkIn (by the code shown at the door)',
      query: `mutation($i: CheckInInput!) { checkIn(input: $i) { registration { id checkedInAt } } }`,
      setup: async () => {
        const h = await hearingIn('OPEN');
        return { i: { hearingId: h, code: (await registerFor(api, bystander, h)).checkInCode } };
      },
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'setCurrentAgendaItem',
      query: `mutation($h: ID!) { setCurrentAgendaItem(input: { hearingId: $h }) { hearing { ${HEARING_ID} } } }`,
      setup: async () => ({ h: await hearingIn('IN_SESSION') }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'requestToSpeak (an attendee)',
      query: `mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { speakerRequest { id status } } }`,
      setup: async (actor) => ({ i: { hearingId: await hearingAttendedBy('IN_SESSION', owner(actor)), stance: 'FOR' } }),
      // Anyone checked in may ask for the floor, hosts and administrators too when they attend as such.
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'requestToSpeak (registered, not checked in)',
      query: `mutation($i: RequestToSpeakInput!) { requestToSpeak(input: $i) { speakerRequest { id status } } }`,
      setup: async (actor) => {
        const h = await hearingIn('IN_SESSION');
        await registerFor(api, owner(actor), h);
        return { i: { hearingId: h, stance: 'AGAINST' } };
      },
      // Only attendees speak: a host or an administrator who is not in the hall is not one either.
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'withdrawSpeakerRequest (own request)',
      query: `mutation($r: ID!) { withdrawSpeakerRequest(input: { speakerRequestId: $r }) { speakerRequest { id status } } }`,
      setup: async (actor) => {
        const h = await hearingAttendedBy('IN_SESSION', owner(actor));
        return { r: await askToSpeak(api, owner(actor), h) };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "withdrawSpeakerRequest (someone else's request)",
      query: `mutation($r: ID!) { withdrawSpeakerRequest(input: { speakerRequestId: $r }) { speakerRequest { id status } } }`,
      setup: async () => {
        const h = await hearingAttendedBy('IN_SESSION', author);
        return { r: await askToSpeak(api, author, h) };
      },
      // Only the requester withdraws (a host passes over a request instead): to everyone else it is not theirs to find.
      expected: signedIn('NOT_FOUND'),
      mutates: true,
    },
    {
      name: 'grantFloor',
      query: `mutation($h: ID!) { grantFloor(input: { hearingId: $h }) { speakerRequest { id status } } }`,
      setup: async () => {
        const h = await hearingAttendedBy('IN_SESSION', author);
        await askToSpeak(api, author, h);
        return { h };
      },
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'endSpeech (own speech)',
      query: `mutation($h: ID!) { endSpeech(input: { hearingId: $h }) { speakerRequest { id status } } }`,
      setup: async (actor) => {
        const h = await hearingAttendedBy('IN_SESSION', owner(actor));
        await giveFloor(api, actors.admin!, h, await askToSpeak(api, owner(actor), h));
        return { h };
      },
      // The speaker may yield the floor early.
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "endSpeech (someone else's speech)",
      query: `mutation($h: ID!) { endSpeech(input: { hearingId: $h }) { speakerRequest { id status } } }`,
      setup: async () => {
        const h = await hearingAttendedBy('IN_SESSION', author);
        await giveFloor(api, actors.admin!, h, await askToSpeak(api, author, h));
        return { h };
      },
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'recordStatement',
      query: `mutation($s: ID!) { recordStatement(input: { statementId: $s, text: "Supports the footbridge; asks for a ramp." }) { statement { id text } } }`,
      setup: async () => {
        const h = await hearingAttendedBy('IN_SESSION', author);
        await giveFloor(api, actors.admin!, h, await askToSpeak(api, author, h));
        await endSpeech(api, actors.admin!, h);
        return { s: (await statementIds(api, h))[0] };
      },
      // The minutes are the district's: not even the speaker writes their own statement.
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'askQuestion (an attendee)',
      query: `mutation($h: ID!) { askQuestion(input: { hearingId: $h, text: "Will the footbridge have a ramp?" }) { question { id status } } }`,
      setup: async (actor) => ({ h: await hearingAttendedBy('OPEN', owner(actor)) }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'askQuestion (not an attendee)',
      query: `mutation($h: ID!) { askQuestion(input: { hearingId: $h, text: "Will the footbridge have a ramp?" }) { question { id status } } }`,
      setup: async () => ({ h: await hearingIn('OPEN') }),
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: "upvoteQuestion (an attendee, someone else's question)",
      query: `mutation($q: ID!) { upvoteQuestion(input: { questionId: $q }) { question { id upvotes } } }`,
      setup: async (actor) => {
        const h = await hearingAttendedBy('OPEN', author);
        const q = await askQuestion(api, author, h);
        await attend(api, actors.admin!, h, owner(actor));
        return { q };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'upvoteQuestion (not an attendee)',
      query: `mutation($q: ID!) { upvoteQuestion(input: { questionId: $q }) { question { id upvotes } } }`,
      setup: async () => ({ q: await askQuestion(api, author, await hearingAttendedBy('OPEN', author)) }),
      // Questions are ranked by the people in the hall (and online): hosts and administrators who are not there have no vote.
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'upvoteQuestion (own question)',
      query: `mutation($q: ID!) { upvoteQuestion(input: { questionId: $q }) { question { id upvotes } } }`,
      setup: async (actor) => ({ q: await askQuestion(api, owner(actor), await hearingAttendedBy('OPEN', owner(actor))) }),
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'answerQuestion',
      query: `mutation($q: ID!) { answerQuestion(input: { questionId: $q, answer: "Yes, on both banks." }) { question { id status } } }`,
      setup: async () => ({ q: await askQuestion(api, author, await hearingAttendedBy('OPEN', author)) }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'dismissQuestion',
      query: `mutation($q: ID!) { dismissQuestion(input: { questionId: $q, reason: "Covered under item 1" }) { question { id status } } }`,
      setup: async () => ({ q: await askQuestion(api, author, await hearingAttendedBy('OPEN', author)) }),
      expected: MODERATORS,
      mutates: true,
    },

    // ---- voting -------------------------------------------------------------------------------
    // Each setup builds a fresh round in the state the mutation needs; the administrator creates and runs it.
    {
      name: 'createVotingRound',
      query: `mutation($i: CreateVotingRoundInput!) { createVotingRound(input: $i) { votingRound { ${ROUND_ID} } } }`,
      setup: async () => ({ i: await roundOf(true) }),
      // The otherHost is a host, but of another district.
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'scheduleVotingRound',
      query: `mutation($i: ScheduleVotingRoundInput!) { scheduleVotingRound(input: $i) { votingRound { ${ROUND_ID} } } }`,
      setup: async () => ({ i: { roundId: await roundIn('DRAFT') } }),
      // A draft is the hosts' work in progress: to everyone else it does not exist.
      expected: { anonymous: 'UNAUTHENTICATED', member: 'NOT_FOUND', resident: 'NOT_FOUND', otherHost: 'NOT_FOUND', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'openVotingRound',
      query: `mutation($i: OpenVotingRoundInput!) { openVotingRound(input: $i) { votingRound { ${ROUND_ID} } } }`,
      setup: async () => ({ i: { roundId: await roundIn('SCHEDULED') } }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'closeVotingRound',
      query: `mutation($i: CloseVotingRoundInput!) { closeVotingRound(input: $i) { votingRound { ${ROUND_ID} } } }`,
      setup: async () => ({ i: { roundId: await roundIn('OPEN') } }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'certifyVotingRound',
      query: `mutation($i: CertifyVotingRoundInput!) { certifyVotingRound(input: $i) { votingRound { ${ROUND_ID} } } }`,
      setup: async () => ({ i: { roundId: await roundIn('CLOSED') } }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'cancelVotingRound (a draft)',
      query: `mutation($i: CancelVotingRoundInput!) { cancelVotingRound(input: $i) { votingRound { ${ROUND_ID} } } }`,
      setup: async () => ({ i: { roundId: await roundIn('DRAFT'), reason: 'The budget was moved to flood relief' } }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'NOT_FOUND', resident: 'NOT_FOUND', otherHost: 'NOT_FOUND', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'cancelVotingRound (a scheduled round)',
      query: `mutation($i: CancelVotingRoundInput!) { cancelVotingRound(input: $i) { votingRound { ${ROUND_ID} } } }`,
      // Its proposal is IN_VOTE: a cancellation sends it back.
      setup: async () => ({ i: { roundId: await roundIn('SCHEDULED'), reason: 'The budget was moved to flood relief' } }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: "castBallot (a round of the resident's district)",
      query: CAST,
      setup: async () => ballotIn(OTHER_DISTRICT),
      // Verified residents of the round's district vote; hosts and administrators are people without a residency here.
      expected: { anonymous: 'UNAUTHENTICATED', member: 'RESIDENCY_REQUIRED', resident: 'OK', otherHost: 'RESIDENCY_REQUIRED', rightHost: 'RESIDENCY_REQUIRED', admin: 'RESIDENCY_REQUIRED' },
      mutates: true,
    },
    {
      name: 'castBallot (a round of another district)',
      query: CAST,
      setup: async () => ballotIn(DISTRICT),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'RESIDENCY_REQUIRED', resident: 'WRONG_DISTRICT', otherHost: 'RESIDENCY_REQUIRED', rightHost: 'RESIDENCY_REQUIRED', admin: 'RESIDENCY_REQUIRED' },
      mutates: true,
    },

    // ---- residents' reports -------------------------------------------------------------------
    // Anyone signed in reports for themselves; only the district's staff file for a caller.
    {
      name: 'submitReport (for oneself)',
      query: `mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id status } } }`,
      setup: async () => ({ i: reportInput({ districtCode: DISTRICT }) }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'submitReport (for a 1555 caller)',
      query: `mutation($i: SubmitReportInput!) { submitReport(input: $i) { report { id status } } }`,
      setup: async () => ({ i: reportInput({ districtCode: DISTRICT, channel: 'HOTLINE_1555', caller: { name: 'นางสมศรี', phone: '081-234-5678' } }) }),
      expected: MODERATORS,
      mutates: true,
    },
    ...(['acceptReport', 'rejectReport', 'forwardReport', 'mergeReport'] as const).map((mutation) => ({
      name: `${mutation} (the district's staff)`,
      query: `mutation($i: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $i) { report { id status } } }`,
      setup: async () => {
        const reportId = await submitReport(api, author, { districtCode: DISTRICT });
        const more: Record<string, Record<string, unknown>> = {
          acceptReport: {},
          rejectReport: { reason: 'เป็นเรื่องของตำรวจท้องที่' },
          forwardReport: { toDistrictCode: OTHER_DISTRICT, note: 'อยู่ในเขตพระนคร' },
          mergeReport: { survivorId: await submitReport(api, bystander, { districtCode: DISTRICT }) },
        };
        return { i: { reportId, ...more[mutation] } };
      },
      expected: MODERATORS,
      mutates: true,
    })),
    ...(['startReportWork', 'resolveReport'] as const).map((mutation) => ({
      name: `${mutation} (the district's staff)`,
      query: `mutation($id: ID!) { ${mutation}(input: { reportId: $id, note: "ช่างเข้าพื้นที่แล้ว" }) { report { id status } } }`,
      setup: async () => {
        const id = await submitReport(api, author, { districtCode: DISTRICT });
        await moveReport(api, actors.admin!, id, 'acceptReport');
        return { id };
      },
      expected: MODERATORS,
      mutates: true,
    })),
    {
      name: 'reopenReport (own, resolved)',
      query: `mutation($id: ID!) { reopenReport(input: { reportId: $id, reason: "ยังเป็นหลุมอยู่" }) { report { id status } } }`,
      setup: async (actor) => {
        const id = await submitReport(api, owner(actor), { districtCode: DISTRICT });
        await moveReport(api, actors.admin!, id, 'acceptReport', 'resolveReport');
        return { id };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      // Reopening is the reporter's: not the staff's, not an administrator's.
      name: "reopenReport (someone else's, resolved)",
      query: `mutation($id: ID!) { reopenReport(input: { reportId: $id, reason: "ยังเป็นหลุมอยู่" }) { report { id status } } }`,
      setup: async () => {
        const id = await submitReport(api, author, { districtCode: DISTRICT });
        await moveReport(api, actors.admin!, id, 'acceptReport', 'resolveReport');
        return { id };
      },
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: "supportReport (someone else's)",
      query: `mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { id supportCount } } }`,
      setup: async () => ({ id: await submitReport(api, author, { districtCode: DISTRICT }) }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'supportReport (own)',
      query: `mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { id supportCount } } }`,
      setup: async (actor) => ({ id: await submitReport(api, owner(actor), { districtCode: DISTRICT }) }),
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'rateReport (own, resolved)',
      query: `mutation($id: ID!) { rateReport(input: { reportId: $id, rating: 5 }) { report { id } } }`,
      setup: async (actor) => {
        const id = await submitReport(api, owner(actor), { districtCode: DISTRICT });
        await moveReport(api, actors.admin!, id, 'acceptReport', 'resolveReport');
        return { id };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "rateReport (someone else's, resolved)",
      query: `mutation($id: ID!) { rateReport(input: { reportId: $id, rating: 1 }) { report { id } } }`,
      setup: async () => {
        const id = await submitReport(api, author, { districtCode: DISTRICT });
        await moveReport(api, actors.admin!, id, 'acceptReport', 'resolveReport');
        return { id };
      },
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    // Reports in bulk are public: aggregates and places, nothing about a person.
    ...[
      ['reportMap (query)', `{ reportMap(input: { bbox: { south: 13.7, west: 100.45, north: 13.8, east: 100.55 }, zoom: 12 }) { total cells { count report { id } } } }`],
      ['reportStatistics (query)', `{ reportStatistics(input: { districtCode: "${DISTRICT}", from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z" }) { summary { reports averageRating } } }`],
      ['reportDistrictTable (query)', `{ reportDistrictTable(input: { from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z" }) { rank summary { reports } } }`],
    ].map(([name, query]) => ({
      name,
      query,
      setup: async () => ({}),
      expected: { anonymous: 'OK', member: 'OK', resident: 'OK', otherHost: 'OK', rightHost: 'OK', admin: 'OK' } as Record<Actor, string>,
      mutates: false,
    })),
    {
      name: 'addReportCategory',
      query: `mutation($i: AddReportCategoryInput!) { addReportCategory(input: $i) { category { code } } }`,
      setup: async (actor) => ({ i: { code: `MATRIX_${actor.toUpperCase()}`, nameTh: 'หมวดทดสอบ', nameEn: 'A test category' } }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'retireReportCategory',
      query: `mutation($c: String!) { retireReportCategory(input: { code: $c }) { category { code active } } }`,
      setup: async (actor) => {
        const code = `RETIRE_${actor.toUpperCase()}`;
        await api.ok(`mutation($i: AddReportCategoryInput!) { addReportCategory(input: $i) { category { code } } }`, { i: { code, nameTh: 'หมวดทดสอบ', nameEn: 'A test category' } }, actors.admin!.token);
        return { c: code };
      },
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'setReportCategoryTargets',
      query: `mutation($i: SetReportCategoryTargetsInput!) { setReportCategoryTargets(input: $i) { category { code targets { acceptWithinHours } } } }`,
      setup: async () => ({ i: { code: 'TREES', acceptWithinHours: 20, resolveWithinHours: 160 } }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    {
      // The district's staff tighten their own district's targets; another district's staff may not.
      name: 'setDistrictReportTargets',
      query: `mutation($i: SetDistrictReportTargetsInput!) { setDistrictReportTargets(input: $i) { target { acceptWithinHours } } }`,
      setup: async () => ({ i: { districtCode: DISTRICT, categoryCode: 'ROADS', acceptWithinHours: 12, resolveWithinHours: 100 } }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'clearDistrictReportTargets',
      query: `mutation($i: ClearDistrictReportTargetsInput!) { clearDistrictReportTargets(input: $i) { district { code } } }`,
      setup: async () => {
        const i = { districtCode: DISTRICT, categoryCode: 'NOISE' };
        await api.ok(`mutation($i: SetDistrictReportTargetsInput!) { setDistrictReportTargets(input: $i) { target { acceptWithinHours } } }`, { i: { ...i, acceptWithinHours: 6, resolveWithinHours: 48 } }, actors.admin!.token);
        return { i };
      },
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'OK', admin: 'OK' },
      mutates: true,
    },

    // ---- Open311 keys -------------------------------------------------------------------------
    {
      name: 'issueOpen311Key',
      query: `mutation($i: IssueOpen311KeyInput!) { issueOpen311Key(input: $i) { key { id } } }`,
      setup: async (actor) => ({ i: { name: `Matrix app ${actor}`, contact: 'dev@app.example' } }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'revokeOpen311Key',
      query: `mutation($id: ID!) { revokeOpen311Key(input: { open311KeyId: $id }) { key { id revokedAt } } }`,
      setup: async (actor) => {
        const issued = await api.ok(`mutation($i: IssueOpen311KeyInput!) { issueOpen311Key(input: $i) { key { id } } }`, { i: { name: `Revoked app ${actor}`, contact: 'dev@app.example' } }, actors.admin!.token);
        return { id: issued.issueOpen311Key.key.id };
      },
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },

    // ---- reports cited by a proposal -----------------------------------------------------------
    // The proposal's author and accepted co-sponsors, while they may edit it; reports of any district.
    {
      name: 'citeReports (own draft)',
      query: `mutation($i: CiteReportsInput!) { citeReports(input: $i) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async (actor) => ({ i: { proposalId: await createProposal(api, owner(actor)), reportIds: [await submitReport(api, bystander, { districtCode: OTHER_DISTRICT })] } }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "citeReports (someone else's draft)",
      query: `mutation($i: CiteReportsInput!) { citeReports(input: $i) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => ({ i: { proposalId: await createProposal(api, author), reportIds: [await submitReport(api, bystander, { districtCode: DISTRICT })] } }),
      // A draft does not exist for anyone but its author and co-sponsors.
      expected: signedIn('NOT_FOUND'),
      mutates: true,
    },
    {
      name: "citeReports (someone else's published)",
      query: `mutation($i: CiteReportsInput!) { citeReports(input: $i) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => ({ i: { proposalId: await createPublishedProposal(api, author), reportIds: [await submitReport(api, bystander, { districtCode: DISTRICT })] } }),
      // Not by hosts, not by administrators: what a plan cites is its authors' argument.
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },
    {
      name: 'unciteReports (own draft)',
      query: `mutation($i: UnciteReportsInput!) { unciteReports(input: $i) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async (actor) => {
        const proposalId = await createProposal(api, owner(actor));
        const reportId = await submitReport(api, bystander, { districtCode: DISTRICT });
        await api.ok(`mutation($i: CiteReportsInput!) { citeReports(input: $i) { proposal { id } } }`, { i: { proposalId, reportIds: [reportId] } }, owner(actor).token);
        return { i: { proposalId, reportIds: [reportId] } };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: "unciteReports (someone else's published)",
      query: `mutation($i: UnciteReportsInput!) { unciteReports(input: $i) { proposal { ${PROPOSAL_ID} } } }`,
      setup: async () => {
        const proposalId = await createPublishedProposal(api, author);
        const reportId = await submitReport(api, bystander, { districtCode: DISTRICT });
        await api.ok(`mutation($i: CiteReportsInput!) { citeReports(input: $i) { proposal { id } } }`, { i: { proposalId, reportIds: [reportId] } }, author.token);
        return { i: { proposalId, reportIds: [reportId] } };
      },
      expected: signedIn('FORBIDDEN'),
      mutates: true,
    },

    // ---- announcements ------------------------------------------------------------------------
    // The district's staff and administrators announce to the district; only administrators to the whole city.
    {
      name: 'publishAnnouncement (to the district)',
      query: `mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id status } } }`,
      setup: async () => ({ i: { districtCode: DISTRICT, kind: 'NEWS', titleTh: 'ข่าวของเขต', bodyTh: 'เนื้อหาข่าว' } }),
      expected: MODERATORS,
      mutates: true,
    },
    {
      name: 'publishAnnouncement (city-wide)',
      query: `mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id status } } }`,
      setup: async () => ({ i: { kind: 'NOTICE', titleTh: 'ประกาศกรุงเทพมหานคร', bodyTh: 'เนื้อหาประกาศ' } }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    ...(['editAnnouncement', 'pinAnnouncement', 'unpinAnnouncement', 'withdrawAnnouncement'] as const).map((mutation) => ({
      name: `${mutation} (the district's staff)`,
      query: `mutation($i: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $i) { announcement { id status pinned version } } }`,
      setup: async () => {
        const published = await api.ok(
          `mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id } } }`,
          { i: { districtCode: DISTRICT, kind: 'NEWS', titleTh: 'ข่าวของเขต', bodyTh: 'เนื้อหาข่าว' } },
          actors.admin!.token,
        );
        const announcementId = published.publishAnnouncement.announcement.id;
        // At most 3 pinned per district: the earlier cases' pins are taken down first.
        const listed = await api.ok(`query($d: String) { announcements(districtCode: $d, first: 100) { nodes { id pinned } } }`, { d: DISTRICT });
        for (const pinned of listed.announcements.nodes.filter((a: { pinned: boolean }) => a.pinned)) {
          await api.ok(`mutation($id: ID!) { unpinAnnouncement(input: { announcementId: $id }) { announcement { id } } }`, { id: pinned.id }, actors.admin!.token);
        }
        if (mutation === 'unpinAnnouncement') await api.ok(`mutation($id: ID!) { pinAnnouncement(input: { announcementId: $id }) { announcement { id } } }`, { id: announcementId }, actors.admin!.token);
        const more: Record<string, Record<string, unknown>> = {
          editAnnouncement: { kind: 'NOTICE', titleTh: 'ข่าวของเขต (แก้ไข)', bodyTh: 'เนื้อหาที่แก้ไข' },
          pinAnnouncement: {},
          unpinAnnouncement: {},
          withdrawAnnouncement: { reason: 'ประกาศผิดพลาด' },
        };
        return { i: { announcementId, ...more[mutation] } };
      },
      expected: MODERATORS,
      mutates: true,
    })),
    // Published announcements are public; the unpublished ones (scheduled, withdrawn) are the district's staff's.
    {
      name: 'announcements (query)',
      query: `query($d: String) { announcements(districtCode: $d) { totalCount edges { node { id title } } } }`,
      setup: async () => ({ d: DISTRICT }),
      expected: { anonymous: 'OK', member: 'OK', resident: 'OK', otherHost: 'OK', rightHost: 'OK', admin: 'OK' },
      mutates: false,
    },
    {
      name: 'announcements (query, includeUnpublished)',
      query: `query($d: String) { announcements(districtCode: $d, includeUnpublished: true) { totalCount edges { node { id status } } } }`,
      setup: async () => ({ d: DISTRICT }),
      expected: MODERATORS,
      mutates: false,
    },
    // ---- following districts --------------------------------------------------------------------
    // Any signed-in account follows any district, its own too; what it chose is its own.
    {
      name: 'followDistrict',
      query: `mutation($i: FollowDistrictInput!) { followDistrict(input: $i) { followedDistrict { following } } }`,
      setup: async () => ({ i: { districtCode: OTHER_DISTRICT, preferences: { news: false } } }),
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'setFollowPreferences',
      query: `mutation($i: SetFollowPreferencesInput!) { setFollowPreferences(input: $i) { followedDistrict { following } } }`,
      setup: async (actor) => {
        const follower = actors[actor];
        if (follower) await api.ok(`mutation { followDistrict(input: { districtCode: "${OTHER_DISTRICT}" }) { followedDistrict { following } } }`, {}, follower.token);
        return { i: { districtCode: OTHER_DISTRICT, preferences: { votes: false } } };
      },
      expected: signedIn('OK'),
      mutates: true,
    },
    {
      name: 'unfollowDistrict',
      query: `mutation($i: UnfollowDistrictInput!) { unfollowDistrict(input: $i) { followedDistrict { following } } }`,
      setup: async () => ({ i: { districtCode: OTHER_DISTRICT } }),
      expected: signedIn('OK'),
      mutates: true,
    },
    // ---- questionnaires ------------------------------------------------------------------------
    // The district's staff build, open and close them; a draft does not exist for anyone else.
    {
      name: 'createQuestionnaire',
      query: `mutation($i: CreateQuestionnaireInput!) { createQuestionnaire(input: $i) { questionnaire { id status } } }`,
      setup: async () => ({ i: { districtCode: DISTRICT, titleTh: 'แบบสอบถาม', audience: 'SIGNED_IN', anonymity: 'NAMED', sections: [{ titleTh: 'ส่วนที่ 1', questions: [{ type: 'SHORT_TEXT', promptTh: 'คำถาม' }] }] } }),
      expected: MODERATORS,
      mutates: true,
    },
    ...(['updateQuestionnaire', 'openQuestionnaire'] as const).map((mutation) => ({
      name: `${mutation} (draft)`,
      query: `mutation($i: ${mutation[0].toUpperCase()}${mutation.slice(1)}Input!) { ${mutation}(input: $i) { questionnaire { id status } } }`,
      setup: async () => {
        const { id } = await createQuestionnaire(api, actors.admin!, DISTRICT);
        const content = { titleTh: 'แก้ไข', audience: 'SIGNED_IN', anonymity: 'NAMED', sections: [{ titleTh: 'ส่วนที่ 1', questions: [{ type: 'NUMBER', promptTh: 'กี่ครั้ง' }] }] };
        return { i: mutation === 'updateQuestionnaire' ? { questionnaireId: id, ...content } : { questionnaireId: id } };
      },
      expected: { anonymous: 'UNAUTHENTICATED', member: 'NOT_FOUND', resident: 'NOT_FOUND', otherHost: 'NOT_FOUND', rightHost: 'OK', admin: 'OK' } as Record<Actor, string>,
      mutates: true,
    })),
    {
      name: 'closeQuestionnaire (open)',
      query: `mutation($id: ID!) { closeQuestionnaire(input: { questionnaireId: $id }) { questionnaire { id status } } }`,
      setup: async () => ({ id: (await createQuestionnaire(api, actors.admin!, DISTRICT, { open: true })).id }),
      expected: MODERATORS,
      mutates: true,
    },
    // Anyone in the audience responds: everyone signed in, or only the district's verified residents.
    ...(['SIGNED_IN', 'VERIFIED_RESIDENTS'] as const).map((audience) => ({
      name: `respondToQuestionnaire (${audience})`,
      query: `mutation($i: RespondToQuestionnaireInput!) { respondToQuestionnaire(input: $i) { replaced } }`,
      setup: async () => {
        const q = await createQuestionnaire(api, actors.admin!, DISTRICT, { open: true, audience });
        return { i: { questionnaireId: q.id, idempotencyKey: randomUUID(), answers: [{ questionId: q.questionIds[0], optionIds: [q.optionIds[0]] }] } };
      },
      expected: audience === 'SIGNED_IN' ? signedIn('OK') : signedIn('NOT_IN_AUDIENCE'),
      mutates: true,
    })),

    // ---- privacy ------------------------------------------------------------------------------
    {
      name: 'exportMyData',
      query: `mutation { exportMyData(input: {}) { dataExport { id } } }`,
      setup: async () => ({}),
      expected: signedIn('OK'),
      mutates: true,
    },
    // Near the end: once new terms are published, every account must accept them before changing anything else.
    {
      name: 'publishTerms',
      query: `mutation($i: PublishTermsInput!) { publishTerms(input: $i) { terms { version } } }`,
      setup: async (actor) => ({ i: { version: `matrix-${actor}`, documents: [{ locale: 'th', text: 'ข้อกำหนด' }, { locale: 'en', text: 'Terms' }] } }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'FORBIDDEN', resident: 'FORBIDDEN', otherHost: 'FORBIDDEN', rightHost: 'FORBIDDEN', admin: 'OK' },
      mutates: true,
    },
    {
      name: 'acceptTerms',
      query: `mutation($v: String!) { acceptTerms(input: { version: $v }) { acceptance { version } } }`,
      setup: async () => ({ v: 'matrix-admin' }),
      expected: signedIn('OK'),
      mutates: true,
    },
    // Last: a success erases the actor, so no case may come after it. Any signed-in account may erase
    // itself with its password, except a host (hand the district over first) and the only administrator.
    {
      name: 'deleteMyAccount',
      query: `mutation($i: DeleteMyAccountInput!) { deleteMyAccount(input: $i) { deleted } }`,
      setup: async (actor) => ({ i: { password: actor === 'admin' ? ADMIN_PASSWORD : 'correct horse battery staple' } }),
      expected: { anonymous: 'UNAUTHENTICATED', member: 'OK', resident: 'OK', otherHost: 'HANDOVER_REQUIRED', rightHost: 'HANDOVER_REQUIRED', admin: 'HANDOVER_REQUIRED' },
      mutates: true,
    },
  ];

  it.each(cases.map((c) => [c.name, c]))('%s: only the right callers succeed, and refusals change nothing', async (_name, c) => {
    const outcomes = {} as Record<Actor, string>;
    for (const actor of ACTORS) {
      const variables = await c.setup(actor);
      const before = await snapshot();
      outcomes[actor] = await attempt(actor, c.query, variables);
      if ((outcomes[actor] !== 'OK' || c.noop) && c.mutates) expect(await snapshot()).toBe(before);
    }
    expect(outcomes).toEqual(c.expected);
  });

  it('covers every role-guarded mutation in the schema', async () => {
    const data = await api.ok(`{ __schema { mutationType { fields { name } } } }`);
    const open = ['register', 'login', 'refreshToken', 'logout'];
    // "updateProposal (own draft)" covers updateProposal.
    const covered = cases.map((c) => c.name.split(' ')[0]);
    const mutations: string[] = data.__schema.mutationType.fields.map((f: { name: string }) => f.name);
    expect(mutations.filter((m) => !open.includes(m) && !covered.includes(m))).toEqual([]);
  });
});
