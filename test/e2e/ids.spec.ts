import {
  getNamedType,
  getNullableType,
  GraphQLArgument,
  GraphQLInputField,
  GraphQLInputType,
  GraphQLInterfaceType,
  GraphQLObjectType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { Account, createPublishedProposal, loginAdmin, makeHost, makeResident, postComment, requestResidency, submitReport } from '../support/factories';
import { askQuestion, askToSpeak, attend, endSpeech, giveFloor, hearingInput, moveHearing, scheduleHearing, statementIds } from '../support/hearings';
import { uploadPhoto } from '../support/images';
import { createQuestionnaire } from '../support/questionnaires';
import { committedSchema } from '../support/selections';
import { Subscription, TestServer } from '../support/test-server';
import { createRound } from '../support/voting';
import { seedAnsweredQuestionnaire } from '../support/questionnaire-results';

/**
 * Every id the API hands out carries its type. A root field that takes an id of one type, given an
 * existing id of any other type, answers the one documented way: BAD_USER_INPUT naming the argument
 * (README, "Ids"). Generated from the schema: every ID argument of every query, mutation and
 * subscription, including ID fields of input objects, with a real id of every type. A field added with an
 * ID argument fails here until the table below says which types it takes.
 */

/** The types each ID argument takes, by `Root.field.path` (`input.` for fields of an input object). */
const TAKES: Record<string, string[]> = {
  'Query.auditLog.filter.actorId': ['User'],
  'Query.ballotRecord.roundId': ['VotingRound'],
  'Query.comments.subjectId': ['Proposal', 'Hearing'],
  'Query.hearing.id': ['Hearing'],
  'Query.minutes.hearingId': ['Hearing'],
  'Query.node.id': ['Proposal', 'Comment', 'Hearing', 'VotingRound', 'User', 'District', 'Residency', 'Notification', 'AuditEntry', 'AgendaItem', 'Registration', 'SpeakerRequest', 'Statement', 'Question', 'VotingOption', 'DataExport', 'Session', 'Report', 'Photo', 'Open311Key', 'Questionnaire', 'QuestionnaireSection', 'QuestionnaireQuestion', 'QuestionnaireOption', 'Announcement', 'QuestionnaireTextAnswer'],
  'Query.proposal.id': ['Proposal'],
  'Query.report.id': ['Report'],
  'Mutation.submitReport.input.photoIds': ['Photo'],
  'Query.proposals.filter.authorId': ['User'],
  'Query.stanceCounts.subjectId': ['Proposal', 'Hearing'],
  'Query.verifyReceipt.roundId': ['VotingRound'],
  'Query.votingRound.id': ['VotingRound'],
  'Query.questionnaireResults.input.questionnaireId': ['Questionnaire'],
  'Query.questionnaireResults.input.cutByQuestionId': ['QuestionnaireQuestion'],
  'Mutation.hideQuestionnaireAnswer.input.questionnaireTextAnswerId': ['QuestionnaireTextAnswer'],
  'Mutation.unhideQuestionnaireAnswer.input.questionnaireTextAnswerId': ['QuestionnaireTextAnswer'],
  'Subscription.questionnaireResultsUpdated.questionnaireId': ['Questionnaire'],
  'Subscription.commentAdded.subjectId': ['Proposal', 'Hearing'],
  'Subscription.commentUpdated.subjectId': ['Proposal', 'Hearing'],
  'Subscription.hearingUpdated.hearingId': ['Hearing'],
  'Subscription.proposalUpdated.proposalId': ['Proposal'],
  'Subscription.votingRoundUpdated.roundId': ['VotingRound'],
  'Mutation.adjournHearing.input.hearingId': ['Hearing'],
  'Mutation.answerQuestion.input.questionId': ['Question'],
  'Mutation.appointHost.input.userId': ['User'],
  'Mutation.askQuestion.input.hearingId': ['Hearing'],
  'Mutation.cancelHearing.input.hearingId': ['Hearing'],
  'Mutation.cancelRegistration.input.hearingId': ['Hearing'],
  'Mutation.cancelVotingRound.input.roundId': ['VotingRound'],
  'Mutation.castBallot.input.choices': ['VotingOption'],
  'Mutation.castBallot.input.roundId': ['VotingRound'],
  'Mutation.certifyVotingRound.input.roundId': ['VotingRound'],
  'Mutation.checkIn.input.hearingId': ['Hearing'],
  'Mutation.checkIn.input.registrationId': ['Registration'],
  'Mutation.closeHearing.input.hearingId': ['Hearing'],
  'Mutation.closeVotingRound.input.roundId': ['VotingRound'],
  'Mutation.createVotingRound.input.options.proposalId': ['Proposal'],
  'Mutation.deleteComment.input.commentId': ['Comment'],
  'Mutation.dismissQuestion.input.questionId': ['Question'],
  'Mutation.editComment.input.commentId': ['Comment'],
  'Mutation.endSession.input.sessionId': ['Session'],
  'Mutation.endSpeech.input.hearingId': ['Hearing'],
  'Mutation.endorseProposal.input.proposalId': ['Proposal'],
  'Mutation.flagComment.input.commentId': ['Comment'],
  'Mutation.grantFloor.input.hearingId': ['Hearing'],
  'Mutation.hideComment.input.commentId': ['Comment'],
  'Mutation.hideProposal.input.proposalId': ['Proposal'],
  'Mutation.inviteCoSponsor.input.proposalId': ['Proposal'],
  'Mutation.inviteCoSponsor.input.userId': ['User'],
  'Mutation.markNotificationsRead.input.notificationIds': ['Notification'],
  'Mutation.openHearing.input.hearingId': ['Hearing'],
  'Mutation.grantFloor.input.speakerRequestId': ['SpeakerRequest'],
  'Mutation.openVotingRound.input.roundId': ['VotingRound'],
  'Mutation.postComment.input.parentId': ['Comment'],
  'Mutation.postComment.input.subjectId': ['Proposal', 'Hearing'],
  'Mutation.postProgressUpdate.input.proposalId': ['Proposal'],
  'Mutation.publishProposal.input.proposalId': ['Proposal'],
  'Mutation.reactToComment.input.commentId': ['Comment'],
  'Mutation.recordStatement.input.statementId': ['Statement'],
  'Mutation.registerForHearing.input.hearingId': ['Hearing'],
  'Mutation.removeHost.input.userId': ['User'],
  'Mutation.requestToSpeak.input.hearingId': ['Hearing'],
  'Mutation.rescheduleHearing.input.hearingId': ['Hearing'],
  'Mutation.respondToCoSponsorInvitation.input.proposalId': ['Proposal'],
  'Mutation.restoreComment.input.commentId': ['Comment'],
  'Mutation.restoreProposal.input.proposalId': ['Proposal'],
  'Mutation.resumeHearing.input.hearingId': ['Hearing'],
  'Mutation.reviewResidency.input.residencyId': ['Residency'],
  'Mutation.scheduleHearing.input.agenda.proposalId': ['Proposal'],
  'Mutation.scheduleVotingRound.input.roundId': ['VotingRound'],
  'Mutation.setCurrentAgendaItem.input.hearingId': ['Hearing'],
  'Mutation.setCurrentAgendaItem.input.agendaItemId': ['AgendaItem'],
  'Mutation.setHearingAgenda.input.agenda.proposalId': ['Proposal'],
  'Mutation.setHearingAgenda.input.hearingId': ['Hearing'],
  'Mutation.startHearingSession.input.hearingId': ['Hearing'],
  'Mutation.updateProposal.input.proposalId': ['Proposal'],
  'Mutation.upvoteQuestion.input.questionId': ['Question'],
  'Mutation.withdrawEndorsement.input.proposalId': ['Proposal'],
  'Mutation.withdrawProposal.input.proposalId': ['Proposal'],
  'Mutation.withdrawSpeakerRequest.input.speakerRequestId': ['SpeakerRequest'],
  'Mutation.acceptReport.input.reportId': ['Report'],
  'Mutation.startReportWork.input.reportId': ['Report'],
  'Mutation.resolveReport.input.reportId': ['Report'],
  'Mutation.rejectReport.input.reportId': ['Report'],
  'Mutation.forwardReport.input.reportId': ['Report'],
  'Mutation.mergeReport.input.reportId': ['Report'],
  'Mutation.reopenReport.input.reportId': ['Report'],
  'Mutation.supportReport.input.reportId': ['Report'],
  'Mutation.rateReport.input.reportId': ['Report'],
  'Mutation.mergeReport.input.survivorId': ['Report'],
  'Mutation.revokeOpen311Key.input.open311KeyId': ['Open311Key'],
  'Mutation.citeReports.input.proposalId': ['Proposal'],
  'Mutation.citeReports.input.reportIds': ['Report'],
  'Mutation.unciteReports.input.proposalId': ['Proposal'],
  'Mutation.unciteReports.input.reportIds': ['Report'],
  'Mutation.acceptReport.input.photoIds': ['Photo'],
  'Mutation.startReportWork.input.photoIds': ['Photo'],
  'Mutation.resolveReport.input.photoIds': ['Photo'],
  'Mutation.rejectReport.input.photoIds': ['Photo'],
  'Mutation.forwardReport.input.photoIds': ['Photo'],
  'Subscription.reportUpdated.reportId': ['Report'],
  'Query.announcement.id': ['Announcement'],
  'Mutation.publishAnnouncement.input.proposalId': ['Proposal'],
  'Mutation.publishAnnouncement.input.hearingId': ['Hearing'],
  'Mutation.publishAnnouncement.input.votingRoundId': ['VotingRound'],
  'Mutation.publishAnnouncement.input.reportId': ['Report'],
  'Mutation.publishAnnouncement.input.questionnaireId': ['Questionnaire'],
  'Mutation.editAnnouncement.input.announcementId': ['Announcement'],
  'Mutation.pinAnnouncement.input.announcementId': ['Announcement'],
  'Mutation.unpinAnnouncement.input.announcementId': ['Announcement'],
  'Mutation.withdrawAnnouncement.input.announcementId': ['Announcement'],
  'Query.questionnaire.id': ['Questionnaire'],
  'Query.myQuestionnaireResponse.input.questionnaireId': ['Questionnaire'],
  'Mutation.createQuestionnaire.input.proposalId': ['Proposal'],
  'Mutation.createQuestionnaire.input.hearingId': ['Hearing'],
  'Mutation.updateQuestionnaire.input.questionnaireId': ['Questionnaire'],
  'Mutation.updateQuestionnaire.input.proposalId': ['Proposal'],
  'Mutation.updateQuestionnaire.input.hearingId': ['Hearing'],
  'Mutation.openQuestionnaire.input.questionnaireId': ['Questionnaire'],
  'Mutation.closeQuestionnaire.input.questionnaireId': ['Questionnaire'],
  'Mutation.respondToQuestionnaire.input.questionnaireId': ['Questionnaire'],
  'Mutation.respondToQuestionnaire.input.answers.questionId': ['QuestionnaireQuestion'],
  'Mutation.respondToQuestionnaire.input.answers.optionIds': ['QuestionnaireOption'],
};

/** One ID argument: where it is, and the variables of a request that puts `id` there. */
interface IdArgument {
  key: string;
  root: 'Query' | 'Mutation' | 'Subscription';
  field: string;
  /** The path the server names in `extensions.fields` (e.g. `input.commentId`, `agenda[0].proposalId`). */
  named: string[];
  document: string;
  variables(id: string): Record<string, unknown>;
}

/**
 * A plausible value of an argument that is not the one tried, so that the id is what the server judges:
 * ids of the type the argument takes (optional ones too, where an input needs one of two), the rest plain.
 */
function filler(type: GraphQLInputType, key: string, ids: Record<string, string>): unknown {
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return [filler(inner.ofType, key, ids)];
  if (isEnumType(inner)) return inner.getValues()[0].value;
  if (isInputObjectType(inner)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(inner.getFields())) {
      const isId = getNamedType(field.type).name === 'ID';
      if (isNonNullType(field.type) || isId) value[field.name] = filler(field.type, `${key}.${field.name}`, ids);
    }
    return value;
  }
  if (!isScalarType(inner)) throw new Error(`no filler for ${String(inner)}`);
  const name = key.split('.').pop()!;
  switch (inner.name) {
    case 'ID':
      return ids[TAKES[key]?.[0] ?? 'Proposal'];
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return new Date(Date.now() + 3600_000).toISOString();
    default:
      return name === 'districtCode' ? '1007' : name === 'email' ? 'someone@example.org' : `A plausible ${name}`;
  }
}

/** Every ID argument of the schema's root fields, with a request for each. */
function idArguments(ids: Record<string, string>): IdArgument[] {
  const schema = committedSchema();
  const found: IdArgument[] = [];
  const roots = { Query: schema.getQueryType()!, Mutation: schema.getMutationType()!, Subscription: schema.getSubscriptionType()! };
  for (const [root, type] of Object.entries(roots) as ['Query' | 'Mutation' | 'Subscription', GraphQLObjectType][]) {
    for (const field of Object.values(type.getFields())) {
      const declared = field.args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
      const passed = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const named = getNamedType(field.type);
      const selection = 'getFields' in named ? ' { __typename }' : '';
      const keyword = root === 'Query' ? 'query' : root === 'Mutation' ? 'mutation' : 'subscription';
      const document = `${keyword}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
      const key = (path: string[]) => `${root}.${field.name}.${path.join('.')}`;
      const base = () =>
        Object.fromEntries(field.args.filter((a) => isNonNullType(a.type) || getNamedType(a.type).name === 'ID').map((a) => [a.name, filler(a.type, key([a.name]), ids)]));
      // Every ID position in the arguments, with how to put a value there and the name the server gives it.
      const visit = (arg: GraphQLArgument | GraphQLInputField, path: string[], set: (vars: Record<string, any>, id: string) => void, named: string[]) => {
        const inner = getNullableType(arg.type) as GraphQLInputType;
        const list = isListType(inner);
        const item = getNamedType(arg.type);
        if (isScalarType(item) && item.name === 'ID') {
          if (list) named = named.map((n) => `${n}[0]`);
          found.push({
            key: key(path),
            root,
            field: field.name,
            named,
            document,
            variables: (id) => {
              const vars = base();
              set(vars, list ? ([id] as never) : id);
              return vars;
            },
          });
        } else if (isInputObjectType(item)) {
          for (const child of Object.values(item.getFields())) {
            visit(
              child,
              [...path, child.name],
              (vars, id) =>
                set(vars, {
                  ...(filler(list ? (getNullableType(inner) as any).ofType : inner, key(path), ids) as object),
                  [child.name]: id,
                } as never),
              named.map((n) => (list ? `${n}[0].${child.name}` : `${n}.${child.name}`)),
            );
          }
        }
      };
      for (const arg of field.args) {
        visit(
          arg,
          [arg.name],
          (vars, value) => {
            const items = Array.isArray(value) && !isListType(getNullableType(arg.type)) ? value[0] : value;
            vars[arg.name] = isListType(getNullableType(arg.type)) && !Array.isArray(items) ? [items] : items;
          },
          [arg.name],
        );
      }
    }
  }
  return found;
}

describe('ids of the wrong type', () => {
  let api: TestServer;
  let admin: Account;
  const ids: Record<string, string> = {};
  /** Who may see the object of `ids` of a type that an administrator may not (someone's own notifications). */
  const viewers: Record<string, string> = {};

  beforeAll(async () => {
    api = await TestServer.start();
    admin = await loginAdmin(api);
    // One real object of every type the API gives an id to.
    const host = await makeHost(api, admin, '1007');
    const resident = await makeResident(api, admin, '1007');
    ids.User = resident.id;
    ids.District = (await api.ok(`{ district(code: "1007") { id } }`)).district.id;
    ids.Residency = await requestResidency(api, resident, '1008');
    ids.Proposal = await createPublishedProposal(api, resident);
    ids.Comment = await postComment(api, resident, ids.Proposal);
    await postComment(api, host, ids.Proposal, { parentId: ids.Comment });
    ids.Notification = (await api.ok(`{ notifications(first: 1) { edges { node { id } } } }`, {}, resident.token)).notifications.edges[0].node.id;
    viewers.Notification = resident.token;
    ids.Session = (await api.ok(`{ mySessions { id } }`, {}, resident.token)).mySessions[0].id;
    viewers.Session = resident.token;
    const hearing = await scheduleHearing(api, host, hearingInput('1007', [{ title: 'Open floor' }]));
    ids.Hearing = hearing.id;
    ids.AgendaItem = hearing.agenda[0].id;
    await moveHearing(api, host, hearing.id, 'openHearing');
    ids.Registration = await attend(api, host, hearing.id, resident);
    await moveHearing(api, host, hearing.id, 'startHearingSession');
    ids.Question = await askQuestion(api, resident, hearing.id);
    ids.SpeakerRequest = await askToSpeak(api, resident, hearing.id);
    await giveFloor(api, host, hearing.id);
    await endSpeech(api, host, hearing.id);
    ids.Statement = (await statementIds(api, hearing.id))[0];
    const round = await createRound(api, host, {
      districtCode: '1007',
      title: 'Which first?',
      method: 'SINGLE_CHOICE',
      options: [{ label: 'Lamps' }, { label: 'Benches' }],
      opensAt: new Date(Date.now() + 3600_000).toISOString(),
      closesAt: new Date(Date.now() + 7200_000).toISOString(),
    });
    ids.VotingRound = round.id;
    ids.VotingOption = round.options[0].id;
    ids.DataExport = (await api.ok(`mutation { exportMyData(input: {}) { dataExport { id } } }`, {}, resident.token)).exportMyData.dataExport.id;
    viewers.DataExport = resident.token;
    ids.Report = await submitReport(api, resident, { districtCode: '1007' });
    // Not attached to anything yet: only its uploader sees it.
    ids.Photo = await uploadPhoto(api, resident.token);
    viewers.Photo = resident.token;
    ids.Open311Key = (await api.ok(`mutation { issueOpen311Key(input: { name: "Ids app", contact: "dev@app.example" }) { key { id } } }`, {}, admin.token)).issueOpen311Key.key.id;
    ids.Announcement = (
      await api.ok(`mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { id } } }`, { i: { districtCode: '1007', kind: 'NEWS', titleTh: 'ข่าว', bodyTh: 'ข่าวของเขต' } }, host.token)
    ).publishAnnouncement.announcement.id;
    const questionnaire = await createQuestionnaire(api, host, '1007', { open: true });
    ids.Questionnaire = questionnaire.id;
    ids.QuestionnaireSection = questionnaire.sectionId;
    ids.QuestionnaireQuestion = questionnaire.questionIds[0];
    ids.QuestionnaireOption = questionnaire.optionIds[0];
    ids.QuestionnaireTextAnswer = (await seedAnsweredQuestionnaire(api, host.id)).textAnswerId;
    ids.AuditEntry = (await api.ok(`{ auditLog(first: 1) { edges { node { id } } } }`, {}, admin.token)).auditLog.edges[0].node.id;
  });
  afterAll(() => api?.stop());

  it('fetch with node(id:) an object of every Node type, for who may see it', async () => {
    const nodeTypes = committedSchema()
      .getPossibleTypes(committedSchema().getType('Node') as GraphQLInterfaceType)
      .map((type) => type.name)
      .sort();
    const fetched: Record<string, unknown> = {};
    for (const type of nodeTypes) {
      fetched[type] = ids[type] ? (await api.ok(`query($id: ID!) { node(id: $id) { __typename id } }`, { id: ids[type] }, viewers[type] ?? admin.token)).node : 'no object of this type in the setup above';
    }
    expect(fetched).toEqual(Object.fromEntries(nodeTypes.map((type) => [type, { __typename: type, id: ids[type] }])));
  });

  it('are listed for every ID argument of the schema', () => {
    expect(idArguments(ids).map((a) => a.key).sort()).toEqual(Object.keys(TAKES).sort());
  });

  it('are refused with BAD_USER_INPUT naming the argument, on every query, mutation and subscription', async () => {
    const answers: string[] = [];
    const client = api.wsClient(admin.token);
    for (const argument of idArguments(ids)) {
      for (const [type, id] of Object.entries(ids)) {
        if (TAKES[argument.key].includes(type)) continue;
        let errors: { extensions?: { code?: string; fields?: { field: string }[] } }[] | undefined;
        if (argument.root === 'Subscription') {
          const subscription = new Subscription(client, argument.document, argument.variables(id));
          errors = (await subscription.waitFor(1))[0].errors;
          subscription.close();
        } else {
          errors = (await api.gql(argument.document, argument.variables(id), admin.token)).errors;
        }
        const error = errors?.[0];
        const named = error?.extensions?.fields?.map((f) => f.field) ?? [];
        const ok = error?.extensions?.code === 'BAD_USER_INPUT' && argument.named.some((n) => named.includes(n));
        if (!ok) answers.push(`${argument.key} given a ${type} id: ${JSON.stringify(errors ?? 'accepted')}`);
      }
    }
    await client.dispose();
    expect(answers).toEqual([]);
  });
});
