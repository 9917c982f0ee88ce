import { Client } from 'pg';
import { createDatabase } from '../lib/database';
import { spawnServer } from '../lib/server';
import { round } from '../lib/stats';
import { BenchContext, Figure, Scenario } from '../lib/types';
import { gql, loginAdmin } from '../lib/voting-fixtures';

/*
 * 8. District news to 100,000 followers (issue 16, "Following"): an announcement published to a district
 * that 100,000 accounts follow, timed from the publishing request's answer (DistrictNews.tell recorded
 * the news in its transaction) until every follower has their notification (the delivery job, batches
 * of DISTRICT_NEWS_BATCH_SIZE recipients, one INSERT … SELECT each). Quick: 10,000 followers.
 */

const DISTRICT = '1004';
const PUBLISH = `mutation($i: PublishAnnouncementInput!) { publishAnnouncement(input: $i) { announcement { status } } }`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const followers: Scenario = {
  name: 'followers',
  async run(ctx: BenchContext) {
    const n = ctx.quick ? 10_000 : 100_000;
    const database = await createDatabase(ctx.postgresUrl, 'followers');
    // The job looks for news every 100 ms here (2 s by default): the figure is the delivery's, not the wait for the timer.
    const server = await spawnServer({ databaseUrl: database.url, redisUrl: ctx.redisUrl, env: { DISTRICT_NEWS_INTERVAL_MS: '100' } });
    const db = new Client({ connectionString: database.url });
    await db.connect();
    try {
      ctx.log(`followers: seeding ${n} followers of ${DISTRICT}`);
      await db.query(
        `INSERT INTO users (id, email, password_hash, display_name, kind)
         SELECT gen_random_uuid(), 'follower.' || g || '@bench.example', '$argon2id$v=19$m=19456,t=2,p=1$unused$unused', 'Follower ' || g, 'PERSON' FROM generate_series(1, $1) AS g`,
        [n],
      );
      await db.query(`INSERT INTO district_follows (user_id, district_code) SELECT id, $1 FROM users WHERE email LIKE 'follower.%@bench.example'`, [DISTRICT]);
      await db.query(`ANALYZE users; ANALYZE district_follows; ANALYZE notifications`);
      const admin = await loginAdmin(server.url);
      const announcement = { districtCode: DISTRICT, kind: 'NOTICE', titleTh: 'ปิดถนนเจริญกรุง ซอย 36 วันเสาร์นี้', bodyTh: 'ปิด **08:00–16:00** เพื่อซ่อมท่อระบายน้ำ' };
      const requestStarted = Date.now();
      await gql(server.url, PUBLISH, { i: announcement }, admin);
      const answered = Date.now();
      let told = 0;
      for (;;) {
        const [row] = (await db.query(`SELECT delivered_at, delivered_count, extract(epoch FROM delivered_at - created_at) * 1000 AS ms FROM district_news`)).rows;
        if (row?.delivered_at) {
          told = row.delivered_count;
          break;
        }
        if (Date.now() - answered > 600_000) throw new Error('the news was not delivered within 10 minutes');
        await sleep(20);
      }
      const allDelivered = Date.now();
      const [{ count, ms }] = (
        await db.query(`SELECT (SELECT count(*) FROM notifications WHERE kind = 'DISTRICT_ANNOUNCEMENT')::int AS count, (SELECT extract(epoch FROM delivered_at - created_at) * 1000 FROM district_news) AS ms`)
      ).rows;
      if (count !== n || told !== n) throw new Error(`expected ${n} notifications, found ${count} (the news says ${told})`);
      const deliverySeconds = (allDelivered - answered) / 1000;
      ctx.log(`followers: ${n} told in ${round(deliverySeconds, 2)} s after the publishing request answered (${round(answered - requestStarted, 0)} ms)`);
      const figures: Figure[] = [
        { metric: `publish → all ${n.toLocaleString('en')} followers told`, value: round(deliverySeconds, 2), unit: 's', note: 'from the publishAnnouncement answer to the last batch committed, seen by polling every 20 ms; the job looks for news every 100 ms' },
        { metric: 'delivery rate', value: round(n / deliverySeconds, 0), unit: 'notifications/s' },
        { metric: 'publishAnnouncement request (tell records one row)', value: answered - requestStarted, unit: 'ms' },
      ];
      return { scenario: '8. District news to followers', figures, details: { followers: n, batchSize: 5000, newsCreatedToDeliveredMs: round(Number(ms), 0), requestMs: answered - requestStarted } };
    } finally {
      await db.end();
      await server.stop();
      await database.drop();
    }
  },
};
