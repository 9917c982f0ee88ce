import { isDeepStrictEqual } from 'node:util';
import { getNamedType } from 'graphql';
import type { Client as WsClient } from 'graphql-ws';
import { AnnouncementClock } from '../../src/announcements/announcement-clock.service';
import { announcementChannel, AnnouncementEvent } from '../../src/announcements/announcement-live';
import { Clock } from '../../src/common/clock/clock';
import { fromGlobalId } from '../../src/common/relay/global-id';
import { COMMENT_ADDED, COMMENT_UPDATED, CommentEvent } from '../../src/discussions/discussions.service';
import { HEARING_UPDATED } from '../../src/hearings/hearing-live.service';
import { NOTIFICATION_ADDED, NotificationEvent } from '../../src/notifications/notifications.service';
import { ProposalStatus } from '../../src/proposals/entities/proposal.entity';
import { ProposalUpdateKind } from '../../src/proposals/proposal.type';
import { PROPOSAL_UPDATED, PROPOSALS_IN_DISTRICT_UPDATED, ProposalUpdatedEvent } from '../../src/proposals/proposals.service';
import { RESIDENCY_UPDATED, ResidencyUpdatedEvent } from '../../src/accounts/residency.service';
import { channel, EventBus } from '../../src/realtime/event-bus';
import { REPORT_QUEUE_UPDATED, REPORT_UPDATED, ReportEvent, ReportQueueUpdateKind, ReportUpdateKind } from '../../src/reports/report-live';
import { VOTING_ROUND_UPDATED } from '../../src/voting/voting-live.service';
import { QUESTIONNAIRE_RESULTS_UPDATED, QuestionnaireResultsEvent } from '../../src/questionnaires/results/results-live.service';
import { seedAnsweredQuestionnaire } from '../support/questionnaire-results';
import {
  Account,
  appointHost,
  createProposal,
  createPublishedProposal,
  inviteCoSponsor,
  loginAdmin,
  makeHost,
  makeResident,
  postComment,
  publishProposal,
  register,
  requestResidency,
  reviewResidency,
  submitReport,
} from '../support/factories';
import { hearingInput, registerFor, scheduleHearing } from '../support/hearings';
import { committedSchema, FullSelection, reachableFields } from '../support/selections';
import { Subscription, TestServer } from '../support/test-server';
import { cast, closeRound, createRound, moveRound, roundInput } from '../support/voting';

/**
 * The attack of issue 11, on every subscription of the schema: anonymous, resident, author and host
 * subscribe first, with selections generated from the schema that reach every field below the
 * subscription (replies of replies, edit histories, the hearings and comments of a proposal, ...); then
 * the story happens (publishing, comments, edits, hiding, withdrawing, roles taken away and given back,
 * a hearing, a vote), one mutation at a time. After each mutation, every event each subscriber received
 * must equal what the same account reads with a query at that moment: never text it could not read,
 * never an event about something it may not see, never data older than the moment.
 */

const DISTRICT = '1007';
const DEPTH = 6;
type Role = 'anonymous' | 'resident' | 'author' | 'host';
/** The sequence (hearings) or turnout (votes) that no real event has: it marks a barrier. */
const BARRIER_NUMBER = -1;
const ROLES: Role[] = ['anonymous', 'resident', 'author', 'host'];

/** Fields a subscription's selection leaves out, and why: each is checked on its own below. */
const LEFT_OUT = new Map([
  ['Hearing.registrations', 'refused (FORBIDDEN) to everyone but hosts: an error in their every event (conventions.spec checks it is nullable)'],
  // A report's insiders' fields: refused field by field to everyone else (reports.spec, report-deadlines.spec and report-story.spec check who gets them, live too).
  ['Report.reporter', 'refused (FORBIDDEN) to everyone but the reporter and the district’s staff'],
  ['Report.rating', 'refused (FORBIDDEN) to everyone but the reporter and the district’s staff'],
  ['Report.caller', 'refused (FORBIDDEN) to everyone but the district’s staff'],
  ['Report.deadlines', 'refused (FORBIDDEN) to everyone but the district’s staff'],
  ['Report.breaches', 'refused (FORBIDDEN) to everyone but the district’s staff'],
  ['District.followerCount', 'refused (FORBIDDEN) to everyone but the district’s staff (following.spec checks who gets it)'],
]);

/**
 * How each subscription field's events are checked: the object an event carries, the query that reads the
 * same object, and a barrier: an event about an object that does not change, published on the same
 * channel after a mutation, so that once a subscriber has it, every event of the mutation has arrived
 * (events reach each subscriber in order) and nothing has changed since.
 */
interface LiveField {
  /** The fragment the object to compare is selected with, as `[type, depth]`. */
  object: [string, number];
  /** The subscription document, given the name of the fragment of the field's own type. */
  subscribe(fragment: string): string;
  /** Whether an event is the barrier. */
  barrier(data: any): boolean;
  /** The object an event carries. */
  carried(data: any): { id: string; value: unknown };
  /** Reads the same object with a query, as the subscriber: [document, variables, the object in the answer]. */
  read(id: string, fragment: string): [string, Record<string, unknown>, (data: any) => unknown];
}

describe('live updates never show what a query would not, at that moment', () => {
  let api: TestServer;
  let bus: EventBus;
  const schema = committedSchema();
  const selection = new FullSelection(schema, LEFT_OUT);
  const clients: WsClient[] = [];

  beforeAll(async () => {
    // One mutation per step and many steps: the posting limit has tests of its own.
    api = await TestServer.start({ env: { COMMENT_RATE_LIMIT: '1000' } });
    bus = api.server.app.get(EventBus);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await api?.stop();
  });

  it('for anonymous, resident, author and host, through publishing, moderation, role changes, a hearing and a vote', async () => {
    const admin = await loginAdmin(api);
    const host = await makeHost(api, admin, DISTRICT);
    const author = await makeResident(api, admin, DISTRICT);
    const resident = await register(api, { displayName: 'Resident to be' });
    const bystander = await makeResident(api, admin, DISTRICT);
    const accounts: Record<Role, Account | null> = { anonymous: null, resident, author, host };

    // ---- the objects barriers are about: they never change ----
    const signedIn = [resident, author, host];
    const barrierProposal = await createPublishedProposal(api, bystander, { title: 'Barrier: a plan that never changes' });
    const barrierDraft = await createProposal(api, bystander, { title: 'Barrier: a draft each watcher is invited to' });
    const barrierNotification = new Map<string, string>();
    const barrierResidency = new Map<string, string>();
    for (const account of signedIn) {
      await inviteCoSponsor(api, bystander, barrierDraft, account);
      barrierNotification.set(account.id, (await api.ok(`{ notifications(first: 1) { edges { node { id } } } }`, {}, account.token)).notifications.edges[0].node.id);
      // A residency request, rejected: it never changes again.
      const rejected = await requestResidency(api, account, '1009', 'Not my district after all');
      await reviewResidency(api, admin, rejected, 'REJECT', 'Another district');
      barrierResidency.set(account.id, rejected);
    }
    const residency = await requestResidency(api, resident, DISTRICT, 'Soi Chula 12, house 41');
    // A report that never changes: the queue's barriers are about it.
    const barrierReport = await submitReport(api, bystander, { districtCode: DISTRICT, description: 'Barrier: a report that never changes' });
    // An announcement that never changes: the barriers of announcementPublished are about it.
    const announce = (input: Record<string, unknown>) =>
      api.ok(`mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id } } }`, { i: { districtCode: DISTRICT, kind: 'NEWS', bodyTh: 'เนื้อหา', ...input } }, admin.token).then((d) => d.publishAnnouncement.announcement.id as string);
    const barrierAnnouncement = await announce({ titleTh: 'Barrier: an announcement that never changes' });
    // A closed questionnaire whose results never change: the results' barriers are about it.
    const barrierQuestionnaire = (await seedAnsweredQuestionnaire(api, host.id, { districtCode: DISTRICT })).questionnaireId;
    // ---- how each subscription field is checked ----
    const fields: Record<string, LiveField> = {
      announcementPublished: {
        object: ['Announcement', DEPTH],
        subscribe: (f) => `subscription { announcementPublished(districtCode: "${DISTRICT}") { ...${f} } }`,
        barrier: (d) => d.announcementPublished.id === barrierAnnouncement,
        carried: (d) => ({ id: d.announcementPublished.id, value: d.announcementPublished }),
        read: (id, f) => [`query($id: ID!) { announcement(id: $id) { ...${f} } }`, { id }, (d) => d.announcement],
      },
      proposalsInDistrictUpdated: {
        object: ['Proposal', DEPTH - 1],
        subscribe: (f) => `subscription { proposalsInDistrictUpdated(districtCode: "${DISTRICT}") { ...${f} } }`,
        barrier: (d) => d.proposalsInDistrictUpdated.proposal.id === barrierProposal,
        carried: (d) => ({ id: d.proposalsInDistrictUpdated.proposal.id, value: d.proposalsInDistrictUpdated.proposal }),
        read: (id, f) => [`query($id: ID!) { proposal(id: $id) { ...${f} } }`, { id }, (d) => d.proposal],
      },
      proposalUpdated: {
        object: ['Proposal', DEPTH - 1],
        subscribe: (f) => `subscription($id: ID!) { proposalUpdated(proposalId: $id) { ...${f} } }`,
        // No real event on a published plan's own channel is a CREATED one: the barrier is.
        barrier: (d) => d.proposalUpdated.kind === ProposalUpdateKind.CREATED,
        carried: (d) => ({ id: d.proposalUpdated.proposal.id, value: d.proposalUpdated.proposal }),
        read: (id, f) => [`query($id: ID!) { proposal(id: $id) { ...${f} } }`, { id }, (d) => d.proposal],
      },
      reportQueueUpdated: {
        object: ['Report', DEPTH - 1],
        subscribe: (f) => `subscription { reportQueueUpdated(districtCode: "${DISTRICT}") { ...${f} } }`,
        barrier: (d) => d.reportQueueUpdated.report.id === barrierReport,
        carried: (d) => ({ id: d.reportQueueUpdated.report.id, value: d.reportQueueUpdated.report }),
        read: (id, f) => [`query($id: ID!) { report(id: $id) { ...${f} } }`, { id }, (d) => d.report],
      },
      reportUpdated: {
        object: ['Report', DEPTH - 1],
        subscribe: (f) => `subscription($id: ID!) { reportUpdated(reportId: $id) { ...${f} } }`,
        // Nobody rates the report in this story: a RATED event is the barrier.
        barrier: (d) => d.reportUpdated.kind === ReportUpdateKind.RATED,
        carried: (d) => ({ id: d.reportUpdated.report.id, value: d.reportUpdated.report }),
        read: (id, f) => [`query($id: ID!) { report(id: $id) { ...${f} } }`, { id }, (d) => d.report],
      },
      commentAdded: commentField('commentAdded'),
      commentUpdated: commentField('commentUpdated'),
      notifications: {
        object: ['Notification', DEPTH],
        subscribe: (f) => `subscription { notifications { ...${f} } }`,
        barrier: (d) => [...barrierNotification.values()].includes(d.notifications.id),
        carried: (d) => ({ id: d.notifications.id, value: d.notifications }),
        read: (id, f) => [`query($id: ID!) { node(id: $id) { ...${f} } }`, { id }, (d) => d.node],
      },
      residencyUpdated: {
        object: ['Residency', DEPTH],
        subscribe: (f) => `subscription { residencyUpdated { ...${f} } }`,
        barrier: (d) => [...barrierResidency.values()].includes(d.residencyUpdated.id),
        carried: (d) => ({ id: d.residencyUpdated.id, value: d.residencyUpdated }),
        read: (id, f) => [`query($id: ID!) { node(id: $id) { ...${f} } }`, { id }, (d) => d.node],
      },
      hearingUpdated: {
        object: ['HearingLiveState', DEPTH],
        subscribe: (f) => `subscription($id: ID!) { hearingUpdated(hearingId: $id) { ...${f} } }`,
        barrier: (d) => d.hearingUpdated.sequence === BARRIER_NUMBER,
        // `kind` says what the event was about; the state a query reads has none of its own.
        carried: (d) => ({ id: d.hearingUpdated.hearingId, value: { ...d.hearingUpdated, kind: undefined } }),
        read: (id, f) => [`query($id: ID!) { hearing(id: $id) { live { ...${f} } } }`, { id }, (d) => d.hearing && { ...d.hearing.live, kind: undefined }],
      },
      questionnaireResultsUpdated: {
        object: ['QuestionnaireResults', DEPTH],
        subscribe: (f) => `subscription($id: ID!) { questionnaireResultsUpdated(questionnaireId: $id) { ...${f} } }`,
        barrier: (d) => d.questionnaireResultsUpdated.questionnaireId === barrierQuestionnaire,
        carried: (d) => ({ id: d.questionnaireResultsUpdated.questionnaireId, value: d.questionnaireResultsUpdated }),
        read: (id, f) => [`query($id: ID!) { questionnaireResults(input: { questionnaireId: $id }) { ...${f} } }`, { id }, (d) => d.questionnaireResults],
      },
      votingRoundUpdated: {
        object: ['VotingRoundUpdate', DEPTH],
        subscribe: (f) => `subscription($id: ID!) { votingRoundUpdated(roundId: $id) { ...${f} } }`,
        barrier: (d) => d.votingRoundUpdated.turnout === BARRIER_NUMBER,
        carried: (d) => ({ id: d.votingRoundUpdated.roundId, value: d.votingRoundUpdated }),
        // The round as a query shows it, in the shape of an update.
        read: (id) => [
          `query($id: ID!) { votingRound(id: $id) { id status turnout results { ...${selection.fragment('VotingResults', DEPTH - 1)} } } }`,
          { id },
          (d) => d.votingRound && { __typename: 'VotingRoundUpdate', roundId: d.votingRound.id, status: d.votingRound.status, turnout: d.votingRound.turnout, results: d.votingRound.results },
        ],
      },
    };
    function commentField(name: 'commentAdded' | 'commentUpdated'): LiveField {
      return {
        object: ['Comment', DEPTH],
        subscribe: (f) => `subscription($id: ID!) { ${name}(subjectId: $id) { ...${f} } }`,
        barrier: (d) => d[name].id === barrierComment,
        carried: (d) => ({ id: d[name].id, value: d[name] }),
        read: (id, f) => [`query($id: ID!) { node(id: $id) { ...${f} } }`, { id }, (d) => d.node],
      };
    }

    // Every subscription field of the schema is covered here, and every field below them is selected.
    const subscriptionType = schema.getSubscriptionType()!;
    expect(Object.keys(subscriptionType.getFields()).sort()).toEqual(Object.keys(fields).sort());
    const rootType = (name: string) => getNamedType(subscriptionType.getFields()[name].type).name;
    for (const name of Object.keys(fields)) selection.fragment(rootType(name), DEPTH);
    const notSelected = [...reachableFields(schema, subscriptionType, LEFT_OUT)].filter((f) => !selection.selected.has(f) && !LEFT_OUT.has(f));
    expect(notSelected).toEqual([]);

    // ---- the watchers ----
    interface Watch {
      field: string;
      role: Role;
      subscription: Subscription;
      /** Events already checked. */
      checked: number;
      /** Events received in all (and checked) per step, for the record of what each role heard. */
      heard: string[];
    }
    const watches: Watch[] = [];
    const clientOf = new Map<Role, WsClient>();
    const client = (role: Role) => {
      if (!clientOf.has(role)) {
        const c = api.wsClient(accounts[role]?.token);
        clients.push(c);
        clientOf.set(role, c);
      }
      return clientOf.get(role)!;
    };
    const watchVariables = new Map<string, Record<string, unknown>>();
    /** `roles` subscribe to `name`; returns once the server listens for their events. */
    const watch = async (name: string, variables: Record<string, unknown> = {}, roles: Role[] = ROLES) => {
      const fragment = selection.fragment(rootType(name), DEPTH);
      const document = `${fields[name].subscribe(fragment)}\n${selection.definitions(fragment)}`;
      const opened = await api.listen(() => roles.map((role) => new Subscription(client(role), document, variables)));
      roles.forEach((role, i) => watches.push({ field: name, role, subscription: opened[i], checked: 0, heard: [] }));
      watchVariables.set(name, variables);
    };

    /** Sends `name`'s barrier and waits until every watcher of it who may see the barrier has received it. */
    const barrier = async (name: string, variables: Record<string, unknown>) => {
      const mine: Watch[] = [];
      for (const w of watches.filter((x) => x.field === name && !x.subscription.completed)) {
        // While a plan is hidden, its comments (the barrier's among them) are hidden from the public: their
        // watchers hear nothing on its channels, barriers included, and are checked at the next one they hear.
        if ((name === 'commentAdded' || name === 'commentUpdated') && !(await api.ok(`query($id: ID!) { node(id: $id) { id } }`, { id: barrierComment }, accounts[w.role]?.token)).node) continue;
        // The plan's own channel: while it is hidden, the public hears nothing on it, barriers included.
        if (name === 'proposalUpdated' && !(await api.ok(`query($id: ID!) { node(id: $id) { id } }`, { id: subject }, accounts[w.role]?.token)).node) continue;
        // The queue: while the host is not a host, they hear nothing on it, barriers included.
        if (name === 'reportQueueUpdated' && (await api.gql(`{ reportQueue(districtCode: "${DISTRICT}", first: 1) { totalCount } }`, {}, accounts[w.role]?.token)).errors) continue;
        mine.push(w);
      }
      const heard = mine.map((w) => w.subscription.waitForEvent((e) => !!e.data && fields[name].barrier(e.data), w.checked));
      await publishBarrier(name, variables);
      await Promise.all(heard);
    };
    const publishBarrier = async (name: string, variables: Record<string, unknown>) => {
      switch (name) {
        case 'proposalsInDistrictUpdated': {
          const event: ProposalUpdatedEvent = {
            proposalId: fromGlobalId(barrierProposal, 'Proposal'),
            districtCode: DISTRICT,
            kind: ProposalUpdateKind.REVISED,
            status: ProposalStatus.PUBLISHED,
            published: true,
            authorId: fromGlobalId(bystander.id, 'User'),
            sponsors: [],
          };
          return bus.publish(channel(PROPOSALS_IN_DISTRICT_UPDATED, DISTRICT), event);
        }
        case 'proposalUpdated': {
          // The plan as it is now (its status decides who hears), announced as a kind no real event on it has.
          const { node } = await api.ok(`query($id: ID!) { node(id: $id) { ... on Proposal { status } } }`, { id: subject }, admin.token);
          const event: ProposalUpdatedEvent = {
            proposalId: fromGlobalId(subject, 'Proposal'),
            districtCode: DISTRICT,
            kind: ProposalUpdateKind.CREATED,
            status: node.status,
            published: true,
            authorId: fromGlobalId(author.id, 'User'),
            sponsors: [],
          };
          return bus.publish(channel(PROPOSAL_UPDATED, fromGlobalId(subject, 'Proposal')), event);
        }
        case 'commentAdded':
        case 'commentUpdated': {
          const event: CommentEvent = { commentId: fromGlobalId(barrierComment, 'Comment'), subjectGlobalId: subject };
          return bus.publish(channel(name === 'commentAdded' ? COMMENT_ADDED : COMMENT_UPDATED, fromGlobalId(subject, 'Proposal')), event);
        }
        case 'notifications':
          for (const account of signedIn) {
            const userId = fromGlobalId(account.id, 'User');
            const event: NotificationEvent = { notificationId: fromGlobalId(barrierNotification.get(account.id)!, 'Notification'), userId };
            bus.publish(channel(NOTIFICATION_ADDED, userId), event);
          }
          return;
        case 'residencyUpdated':
          for (const account of signedIn) {
            const userId = fromGlobalId(account.id, 'User');
            const event: ResidencyUpdatedEvent = { residencyId: fromGlobalId(barrierResidency.get(account.id)!, 'Residency'), userId };
            bus.publish(channel(RESIDENCY_UPDATED, userId), event);
          }
          return;
        case 'hearingUpdated': {
          // The state as it is, with a sequence no real event has.
          const fragment = selection.fragment('HearingLiveState', DEPTH);
          const { hearing } = await api.ok(`query($id: ID!) { hearing(id: $id) { live { ...${fragment} } } }\n${selection.definitions(fragment)}`, variables);
          return bus.publish(channel(HEARING_UPDATED, fromGlobalId(variables.id as string, 'Hearing')), plainLiveState({ ...hearing.live, sequence: BARRIER_NUMBER }));
        }
        case 'reportQueueUpdated': {
          const event: ReportEvent = { reportId: fromGlobalId(barrierReport, 'Report'), kind: ReportQueueUpdateKind.CHANGED, districtCode: DISTRICT, staffOnly: true };
          return bus.publish(channel(REPORT_QUEUE_UPDATED, DISTRICT), event);
        }
        case 'reportUpdated': {
          const event: ReportEvent = { reportId: fromGlobalId(variables.id as string, 'Report'), kind: ReportUpdateKind.RATED, districtCode: DISTRICT, staffOnly: false };
          return bus.publish(channel(REPORT_UPDATED, fromGlobalId(variables.id as string, 'Report')), event);
        }
        case 'announcementPublished': {
          const event: AnnouncementEvent = { announcementId: fromGlobalId(barrierAnnouncement, 'Announcement') };
          return bus.publish(announcementChannel(DISTRICT), event);
        }
        case 'questionnaireResultsUpdated': {
          const event: QuestionnaireResultsEvent = { questionnaireId: fromGlobalId(barrierQuestionnaire, 'Questionnaire') };
          return bus.publish(channel(QUESTIONNAIRE_RESULTS_UPDATED, fromGlobalId(variables.id as string, 'Questionnaire')), event);
        }
        case 'votingRoundUpdated':
          return bus.publish(channel(VOTING_ROUND_UPDATED, fromGlobalId(variables.id as string, 'VotingRound')), { roundId: variables.id, status: 'OPEN', turnout: BARRIER_NUMBER, results: null });
      }
    };

    /** What the round's query showed each role after each step: a vote's updates are coalesced, so each must equal one of them. */
    const roundStates = new Map<Role, unknown[]>(ROLES.map((role) => [role, []]));

    /**
     * One mutation, then the check: every event each watcher received since the last check equals what the
     * same account reads now.
     */
    const step = async (label: string, mutation: () => Promise<unknown>) => {
      await mutation();
      const live = [...new Set(watches.filter((w) => !w.subscription.completed).map((w) => w.field))];
      for (const name of live) {
        if (name === 'votingRoundUpdated') await settleVote(watchVariables.get(name)!);
        else await barrier(name, watchVariables.get(name)!);
      }
      for (const w of watches) await check(w, label);
    };

    /** A vote's updates are coalesced, its last one exact: waits until each watcher has one equal to the round as its query shows it now. */
    const settleVote = async (variables: Record<string, unknown>) => {
      const [document, vars, pick] = fields.votingRoundUpdated.read(variables.id as string, '');
      for (const w of watches.filter((x) => x.field === 'votingRoundUpdated')) {
        const now = pick(await api.ok(`${document}\n${selection.definitions(selection.fragment('VotingResults', DEPTH - 1))}`, vars, accounts[w.role]?.token));
        roundStates.get(w.role)!.push(now);
        await w.subscription.waitForEvent((e) => !!e.data && isDeepStrictEqual(e.data.votingRoundUpdated, now), w.checked);
      }
    };

    const check = async (w: Watch, label: string) => {
      const events = w.subscription.events.slice(w.checked);
      w.checked += events.length;
      const field = fields[w.field];
      const [type, depth] = field.object;
      const fragment = selection.fragment(type, depth);
      for (const [n, event] of events.entries()) {
        const where = `${w.role} on ${w.field} after "${label}" (event ${n + 1} of ${events.length}${event.data?.proposalsInDistrictUpdated ? `, ${event.data.proposalsInDistrictUpdated.kind}` : ''})`;
        expect({ where, errors: event.errors ?? [] }).toEqual({ where, errors: [] });
        if (field.barrier(event.data)) continue;
        const carried = field.carried(event.data);
        w.heard.push(label);
        if (w.field === 'votingRoundUpdated') {
          expect({ where, seenByQuery: roundStates.get(w.role)!.some((state) => isDeepStrictEqual(state, carried.value)) }).toEqual({ where, seenByQuery: true });
          continue;
        }
        const [document, variables, pick] = field.read(carried.id, fragment);
        const answer = await api.gql(`${document}\n${selection.definitions(fragment)}`, variables, accounts[w.role]?.token);
        expect({ where, errors: answer.errors ?? [] }).toEqual({ where, errors: [] });
        expect({ where, event: carried.value }).toEqual({ where, event: pick(answer.data) });
      }
    };

    // ---- the story ----
    await watch('proposalsInDistrictUpdated');
    for (const name of ['notifications', 'residencyUpdated']) {
      // Anonymous subscribers are refused at once; the signed-in ones watch.
      const fragment = selection.fragment(rootType(name), DEPTH);
      const refused = new Subscription(client('anonymous'), `${fields[name].subscribe(fragment)}\n${selection.definitions(fragment)}`);
      expect((await refused.waitFor(1))[0].errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      await watch(name, {}, ['resident', 'author', 'host']);
    }
    // The district's queue: its staff only; anyone else is refused at once.
    {
      const fragment = selection.fragment(rootType('reportQueueUpdated'), DEPTH);
      for (const [role, code] of [['anonymous', 'UNAUTHENTICATED'], ['resident', 'FORBIDDEN'], ['author', 'FORBIDDEN']] as [Role, string][]) {
        const refused = new Subscription(client(role), `${fields.reportQueueUpdated.subscribe(fragment)}\n${selection.definitions(fragment)}`);
        expect((await refused.waitFor(1))[0].errors?.[0].extensions?.code).toBe(code);
      }
      await watch('reportQueueUpdated', {}, ['host']);
    }

    await step('the resident is verified', () => reviewResidency(api, host, residency, 'APPROVE', 'Address checked'));
    // A report of the resident's, watched by everyone.
    let report = '';
    await step('the resident reports a dark street', async () => (report = await submitReport(api, resident, { districtCode: DISTRICT })));
    await watch('reportUpdated', { id: report });
    const draft = await (async () => {
      let id = '';
      await step('the author drafts a plan', async () => (id = await createProposal(api, author, { title: 'ไฟทางเดินริมคลอง: a draft', body: 'Draft text nobody else may read' })));
      return id;
    })();
    let abandoned = '';
    await step('the author drafts a second plan', async () => (abandoned = await createProposal(api, author, { title: 'An idea the author drops', body: 'Never to be read by anyone else' })));
    await step('the author withdraws the second draft without publishing it', () => api.ok(`mutation($id: ID!) { withdrawProposal(input: { proposalId: $id }) { proposal { status } } }`, { id: abandoned }, author.token));
    await step('the author publishes the first', () => publishProposal(api, author, draft));
    const subject = draft;
    await watch('proposalUpdated', { id: subject });

    // The discussion of the plan, watched by everyone.
    let barrierComment = '';
    await step('a bystander comments (the comment barriers are about it)', async () =>
      (barrierComment = await postComment(api, bystander, subject, { body: 'Barrier: a comment that never changes', stance: 'NEUTRAL' })),
    );
    await watch('commentAdded', { id: subject });
    await watch('commentUpdated', { id: subject });

    let comment = '';
    let reply = '';
    await step('the resident comments', async () => (comment = await postComment(api, resident, subject, { body: 'First version: the lamps near Soi 12 are out', stance: 'FOR' })));
    await step('the author replies', async () => (reply = await postComment(api, author, subject, { body: 'Reply text that a moderator will hide', stance: 'FOR', parentId: comment })));
    await step('the resident edits the comment', () =>
      api.ok(`mutation($i: EditCommentInput!) { editComment(input: $i) { comment { id } } }`, { i: { commentId: comment, body: 'Second version, with a phone number 081-234-5678' } }, resident.token),
    );
    await step('the host hides the comment', () => api.ok(`mutation($id: ID!) { hideComment(input: { commentId: $id, reason: "A private phone number" }) { comment { id } } }`, { id: comment }, host.token));
    await step('the host hides the reply', () => api.ok(`mutation($id: ID!) { hideComment(input: { commentId: $id, reason: "Insults a neighbour" }) { comment { id } } }`, { id: reply }, host.token));
    await step('the resident endorses the plan', () => api.ok(`mutation($id: ID!) { endorseProposal(input: { proposalId: $id }) { proposal { id } } }`, { id: subject }, resident.token));
    for (let n = 1; n <= 6; n += 1) await step(`the author comments again (${n})`, () => postComment(api, author, subject, { body: `Comment number ${n} by the author`, stance: 'NEUTRAL' }));
    await step('the resident reacts to a comment of the author', async () => {
      const newest = (await api.ok(`query($s: ID!) { comments(subjectId: $s, first: 1) { edges { node { id } } } }`, { s: subject })).comments.edges[0].node.id;
      return api.ok(`mutation($id: ID!) { reactToComment(input: { commentId: $id, reaction: LIKE }) { comment { id } } }`, { id: newest }, resident.token);
    });
    await step('the host is no longer a host', () => api.ok(`mutation($u: ID!) { removeHost(input: { userId: $u, districtCode: "${DISTRICT}" }) { user { id } } }`, { u: host.id }, admin.token));
    await step('the author says “me too” on the report', () => api.ok(`mutation($id: ID!) { supportReport(input: { reportId: $id }) { report { id } } }`, { id: report }, author.token));
    await step('the author revises the plan', () =>
      api.ok(`mutation($i: UpdateProposalInput!) { updateProposal(input: $i) { proposal { id } } }`, { i: { proposalId: subject, summary: 'Lamps and a railing', note: 'Railing added' } }, author.token),
    );
    await step('the host is appointed again', () => appointHost(api, admin, host, DISTRICT));
    await step('the host accepts the report', () => api.ok(`mutation($id: ID!) { acceptReport(input: { reportId: $id, note: "ส่งช่างไฟฟ้า" }) { report { id } } }`, { id: report }, host.token));
    await step('the host resolves the report', () => api.ok(`mutation($id: ID!) { resolveReport(input: { reportId: $id, note: "เปลี่ยนหลอดแล้ว" }) { report { id } } }`, { id: report }, host.token));
    // Announcements of the district, watched by everyone: published, withdrawn (a late event about it reaches
    // nobody), scheduled and published by the clock.
    await watch('announcementPublished');
    let announcement = '';
    await step('the host announces the repair, linking the report', async () => {
      const res = await api.ok(`mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id } } }`, { i: { districtCode: DISTRICT, kind: 'NOTICE', titleTh: 'ซ่อมไฟถนนแล้ว', bodyTh: 'เปลี่ยนหลอดไฟแล้ว', reportId: report } }, host.token);
      announcement = res.publishAnnouncement.announcement.id;
    });
    await step('the host withdraws it, and a late event about it arrives', async () => {
      await api.ok(`mutation($id: ID!) { withdrawAnnouncement(input: { announcementId: $id, reason: "ผิดซอย" }) { announcement { id } } }`, { id: announcement }, host.token);
      const late: AnnouncementEvent = { announcementId: fromGlobalId(announcement, 'Announcement') };
      bus.publish(announcementChannel(DISTRICT), late);
    });
    await step('the host schedules an announcement', () =>
      api.ok(`mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id } } }`, { i: { districtCode: DISTRICT, kind: 'EVENT', titleTh: 'ประชุมประชาคม', bodyTh: 'เชิญร่วมประชุม', publishAt: new Date(Date.now() + 3600_000).toISOString() } }, host.token),
    );
    await step('the clock publishes it', async () => {
      const clock = api.server.app.get(Clock);
      clock.now = () => new Date(Date.now() + 2 * 3600_000);
      try {
        await api.server.app.get(AnnouncementClock).tick();
      } finally {
        clock.now = () => new Date();
      }
    });
    let second = '';
    await step('the resident comments again', async () => (second = await postComment(api, resident, subject, { body: 'Text its author will delete', stance: 'AGAINST' })));
    await step('the resident deletes that comment', () => api.ok(`mutation($id: ID!) { deleteComment(input: { commentId: $id }) { comment { id } } }`, { id: second }, resident.token));
    await step('the host hides the plan', () => api.ok(`mutation($id: ID!) { hideProposal(input: { proposalId: $id, reason: "Under review" }) { proposal { id } } }`, { id: subject }, host.token));
    await step('the host restores the plan', () => api.ok(`mutation($id: ID!) { restoreProposal(input: { proposalId: $id, reason: "Reviewed" }) { proposal { id } } }`, { id: subject }, host.token));

    // A hearing on the plan.
    let hearing = '';
    await step('the host schedules a hearing', async () => {
      hearing = (await scheduleHearing(api, host, hearingInput(DISTRICT, [{ title: 'Canal lights', proposalId: subject }], { startsAt: new Date(Date.now() + 30 * 60_000).toISOString(), speakerTimeLimitSeconds: 3600 }))).id;
    });
    await watch('hearingUpdated', { id: hearing });
    let registration = '';
    await step('the resident registers', async () => (registration = (await registerFor(api, resident, hearing)).id));
    await step('the host opens the doors', () => api.ok(`mutation($h: ID!) { openHearing(input: { hearingId: $h }) { hearing { id } } }`, { h: hearing }, host.token));
    await step('the resident is checked in', () => api.ok(`mutation($i: CheckInInput!) { checkIn(input: $i) { registration { id } } }`, { i: { hearingId: hearing, registrationId: registration } }, host.token));
    await step('the session starts', () => api.ok(`mutation($h: ID!) { startHearingSession(input: { hearingId: $h }) { hearing { id } } }`, { h: hearing }, host.token));
    let question = '';
    await step('the resident asks a question', async () => (question = (await api.ok(`mutation($h: ID!) { askQuestion(input: { hearingId: $h, text: "Who pays for the lamps?" }) { question { id } } }`, { h: hearing }, resident.token)).askQuestion.question.id));
    await step('the host dismisses it', () => api.ok(`mutation($q: ID!) { dismissQuestion(input: { questionId: $q, reason: "Off topic" }) { question { id } } }`, { q: question }, host.token));
    await step('the resident asks to speak', () => api.ok(`mutation($h: ID!) { requestToSpeak(input: { hearingId: $h, stance: FOR }) { speakerRequest { id } } }`, { h: hearing }, resident.token));
    await step('the host gives the floor', () => api.ok(`mutation($h: ID!) { grantFloor(input: { hearingId: $h }) { speakerRequest { id } } }`, { h: hearing }, host.token));
    await step('the speech ends', () => api.ok(`mutation($h: ID!) { endSpeech(input: { hearingId: $h }) { speakerRequest { id } } }`, { h: hearing }, host.token));
    await step('the host records the statement', async () => {
      const { hearing: h } = await api.ok(`query($h: ID!) { hearing(id: $h) { statements { id } } }`, { h: hearing });
      return api.ok(`mutation($s: ID!) { recordStatement(input: { statementId: $s, text: "The lamps should be solar" }) { statement { id } } }`, { s: h.statements[0].id }, host.token);
    });
    await step('the host closes the hearing', () => api.ok(`mutation($h: ID!) { closeHearing(input: { hearingId: $h, summary: "Residents back solar lamps" }) { hearing { id } } }`, { h: hearing }, host.token));

    // A closed questionnaire's results: a text answer hidden reaches everyone's results without it, the host's marked.
    const consulted = await seedAnsweredQuestionnaire(api, host.id, { districtCode: DISTRICT });
    await watch('questionnaireResultsUpdated', { id: consulted.questionnaireId });
    const MODERATE = (name: string) => `mutation($id: ID!, $r: String!) { ${name}(input: { questionnaireTextAnswerId: $id, reason: $r }) { answer { id } } }`;
    await step('the host hides a text answer', () => api.ok(MODERATE('hideQuestionnaireAnswer'), { id: consulted.textAnswerId, r: 'Names a neighbour' }, host.token));
    await step('the host shows the text answer again', () => api.ok(MODERATE('unhideQuestionnaireAnswer'), { id: consulted.textAnswerId, r: 'The name was taken out' }, host.token));

    // A vote that shows its tallies live, in secret (last: a vote's watchers are settled by its changes, see settleVote).
    const round = await createRound(
      api,
      host,
      roundInput(DISTRICT, 'SINGLE_CHOICE', [{ label: 'Solar lamps' }, { label: 'Grid lamps' }], { resultsVisibility: 'LIVE', secret: true, opensAt: new Date(Date.now() + 3600_000).toISOString(), closesAt: new Date(Date.now() + 3 * 3600_000).toISOString() }),
    );
    await step('the host schedules the vote', () => moveRound(api, host, round.id, 'scheduleVotingRound'));
    await watch('votingRoundUpdated', { id: round.id });
    await step('the host opens the vote early', () => moveRound(api, host, round.id, 'openVotingRound'));
    await step('the resident votes', async () => expect((await cast(api, resident, round.id, [round.options[0].id])).errors).toBeUndefined());
    await step('the author votes', async () => expect((await cast(api, author, round.id, [round.options[1].id])).errors).toBeUndefined());
    await step('the host closes the vote', () => closeRound(api, host, round.id));

    // What each role heard (the events checked above), as a record of the story.
    const heard = (field: string, role: Role) => watches.find((w) => w.field === field && w.role === role)!.heard;
    // The queue's host heard the report arrive and be worked, but not the "me too" made while they were no host.
    expect(heard('reportQueueUpdated', 'host')).toEqual(['the resident reports a dark street', 'the host accepts the report', 'the host resolves the report']);
    // Everyone watching the report heard each of its changes.
    for (const role of ROLES) expect(heard('reportUpdated', role)).toEqual(['the author says “me too” on the report', 'the host accepts the report', 'the host resolves the report']);
    // Everyone heard the announcement and the scheduled one at its time; nobody the withdrawn one's late event.
    for (const role of ROLES) expect(heard('announcementPublished', role)).toEqual(['the host announces the repair, linking the report', 'the clock publishes it']);
    // Nobody but the author heard of the drafts, or of the dropped idea at all.
    for (const role of ['anonymous', 'resident', 'host'] as Role[]) {
      expect(heard('proposalsInDistrictUpdated', role)).not.toContain('the author drafts a plan');
      expect(heard('proposalsInDistrictUpdated', role)).not.toContain('the author withdraws the second draft without publishing it');
    }
    expect(heard('proposalsInDistrictUpdated', 'author')).toContain('the author withdraws the second draft without publishing it');
    // The hidden plan was heard of by its author and the host, not by the public.
    expect(heard('proposalsInDistrictUpdated', 'anonymous')).not.toContain('the host hides the plan');
    expect(heard('proposalsInDistrictUpdated', 'host')).toContain('the host hides the plan');
    // So did the watchers of the plan itself, and everyone heard of its restoring.
    expect(heard('proposalUpdated', 'anonymous')).not.toContain('the host hides the plan');
    expect(heard('proposalUpdated', 'resident')).not.toContain('the host hides the plan');
    expect(heard('proposalUpdated', 'host')).toContain('the host hides the plan');
    expect(heard('proposalUpdated', 'author')).toContain('the host hides the plan');
    for (const role of ROLES) expect(heard('proposalUpdated', role)).toContain('the host restores the plan');
    // The reply's author heard of the reply, and a notification does not quote it after it was hidden (checked against the query).
    expect(heard('notifications', 'resident')).toContain('the author replies');
    expect(heard('commentUpdated', 'anonymous')).toContain('the host hides the reply');
  });
});

/** A live state read back from the API, as the server publishes it (dates as text, no __typename). */
function plainLiveState(state: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(state, (key, value) => (key === '__typename' ? undefined : value)));
}
