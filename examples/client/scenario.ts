import { randomBytes } from 'node:crypto';
import { ExampleClient, GraphQLRequestError } from './client';
import { CreateProposalDocument, DistrictsDocument, ProposalUpdatedDocument, ProposalsInDistrictDocument, PublishProposalDocument, RegisterDocument } from './generated';

/** What a run of the example saw, step by step (the tests check it; `main` prints it). */
export interface ExampleRun {
  displayName: string;
  district: { code: string; nameTh: string; nameEn: string };
  refusedCode: string;
  proposal: { id: string; title: string; status: string };
  event: { kind: string; status: string };
  pages: number;
  listed: number;
  totalCount: number;
}

/**
 * The worked example of README's "For client developers": sign up, a query, a refused mutation, a
 * mutation, a subscription and pagination. `whenListening` runs after the subscription is sent and
 * before the change it waits for: graphql-ws does not acknowledge a subscribe, so a program that must
 * not miss the first event waits for its own sign that the server listens (the tests wait for the
 * server's; `main` gives the socket a round trip).
 */
export async function runExample(url: string, whenListening: () => Promise<void>): Promise<ExampleRun> {
  const client = new ExampleClient(url);
  try {
    // 1. Create an account; the answer signs it in.
    const email = `example.${randomBytes(4).toString('hex')}@example.org`;
    const { register } = await client.request(RegisterDocument, {
      input: { email, password: 'correct horse battery staple', displayName: 'สมชาย ใจดี', kind: 'PERSON', locale: 'th' },
    });
    client.signIn(register.accessToken);

    // 2. A query.
    const { districts } = await client.request(DistrictsDocument, {});
    const district = districts[0];

    // 3. A refused mutation: the code says why, for a program to branch on.
    let refusedCode = '';
    try {
      await client.request(CreateProposalDocument, { input: { districtCode: district.code, title: 'x', summary: '', body: '', category: 'ENVIRONMENT' } });
    } catch (error) {
      if (!(error instanceof GraphQLRequestError)) throw error;
      refusedCode = error.codes[0];
    }

    // 4. A mutation: a draft plan, answered in its payload.
    const { createProposal } = await client.request(CreateProposalDocument, {
      input: {
        districtCode: district.code,
        title: 'สวนหย่อมริมคลอง / A pocket park by the canal',
        summary: 'เปลี่ยนที่ว่างริมคลองเป็นสวนหย่อม',
        body: 'A shaded pocket park with benches on the empty canal-side lot.',
        category: 'ENVIRONMENT',
      },
    });
    const proposal = createProposal.proposal;

    // 5. A subscription to that plan, then the change it reports: publishing it.
    const updates = client.subscribe(ProposalUpdatedDocument, { proposalId: proposal.id });
    const firstUpdate = updates.next();
    await whenListening();
    await client.request(PublishProposalDocument, { input: { proposalId: proposal.id } });
    const { value: update } = await firstUpdate;
    await updates.return?.();

    // 6. Pagination: follow endCursor while hasNextPage.
    let after: string | null = null;
    let pages = 0;
    let listed = 0;
    let totalCount = 0;
    for (;;) {
      const { proposals }: Awaited<ReturnType<typeof listPage>> = await listPage(client, district.code, after);
      pages += 1;
      listed += proposals.nodes.length;
      totalCount = proposals.totalCount;
      if (!proposals.pageInfo.hasNextPage) break;
      after = proposals.pageInfo.endCursor ?? null;
    }

    return {
      displayName: register.user.displayName,
      district,
      refusedCode,
      proposal,
      event: { kind: update!.proposalUpdated.kind, status: update!.proposalUpdated.proposal.status },
      pages,
      listed,
      totalCount,
    };
  } finally {
    await client.close();
  }
}

function listPage(client: ExampleClient, districtCode: string, after: string | null) {
  return client.request(ProposalsInDistrictDocument, { districtCode, first: 2, after });
}
