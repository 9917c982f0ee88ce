import { MigrationInterface, QueryRunner } from 'typeorm';

const KINDS = ['DISTRICT_ANNOUNCEMENT', 'DISTRICT_PROPOSAL', 'DISTRICT_HEARING', 'DISTRICT_VOTE', 'DISTRICT_QUESTIONNAIRE'];

/** The kinds the notifications CHECK allows now, read from the database (other migrations of the release add kinds too). */
async function allowedKinds(queryRunner: QueryRunner): Promise<string[]> {
  const [{ def }] = (await queryRunner.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'CHK_notifications_kind'`)) as { def: string }[];
  return [...def.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
}

async function allowKinds(queryRunner: QueryRunner, kinds: string[]): Promise<void> {
  await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
  await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${kinds.map((k) => `'${k}'`).join(', ')}))`);
}

/** Following districts: follows and their preferences, district news waiting to be told, and the notifications that tell it. */
export class DistrictFollowing1796366000002 implements MigrationInterface {
  name = 'DistrictFollowing1796366000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "district_follows" (
                "user_id" uuid NOT NULL,
                "district_code" character varying(4) NOT NULL,
                "following" boolean NOT NULL DEFAULT true,
                "news" boolean NOT NULL DEFAULT true,
                "notices" boolean NOT NULL DEFAULT true,
                "events" boolean NOT NULL DEFAULT true,
                "proposals" boolean NOT NULL DEFAULT true,
                "hearings" boolean NOT NULL DEFAULT true,
                "votes" boolean NOT NULL DEFAULT true,
                "questionnaires" boolean NOT NULL DEFAULT true,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_district_follows" PRIMARY KEY ("user_id", "district_code"),
                CONSTRAINT "FK_district_follows_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
                CONSTRAINT "FK_district_follows_district" FOREIGN KEY ("district_code") REFERENCES "districts"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
            )
        `);
    await queryRunner.query(`CREATE INDEX "IDX_district_follows_district_user" ON "district_follows" ("district_code", "user_id")`);
    await queryRunner.query(`
            CREATE TABLE "district_news" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "district_code" character varying(4),
                "topic" character varying(20) NOT NULL,
                "announcement_kind" character varying(10),
                "subject_type" character varying(40) NOT NULL,
                "subject_id" uuid NOT NULL,
                "title" jsonb NOT NULL,
                "cursor" uuid,
                "delivered_count" integer NOT NULL DEFAULT 0,
                "delivered_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_district_news_topic" CHECK ("topic" IN ('ANNOUNCEMENT', 'PROPOSAL', 'HEARING', 'VOTE', 'QUESTIONNAIRE')),
                CONSTRAINT "PK_district_news" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`CREATE INDEX "IDX_district_news_pending" ON "district_news" ("created_at") WHERE "delivered_at" IS NULL`);
    await queryRunner.query(`ALTER TABLE "notifications" ADD "news_id" uuid`);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_notifications_news_user" ON "notifications" ("news_id", "user_id") WHERE "news_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_residencies_approved_district_user" ON "residencies" ("district_code", "user_id") WHERE "status" = 'APPROVED'`);
    const kinds = await allowedKinds(queryRunner);
    await allowKinds(queryRunner, [...kinds, ...KINDS.filter((k) => !kinds.includes(k))]);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "notifications" WHERE "kind" IN (${KINDS.map((k) => `'${k}'`).join(', ')})`);
    await allowKinds(queryRunner, (await allowedKinds(queryRunner)).filter((k) => !KINDS.includes(k)));
    await queryRunner.query(`DROP INDEX "IDX_residencies_approved_district_user"`);
    await queryRunner.query(`DROP INDEX "UQ_notifications_news_user"`);
    await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "news_id"`);
    await queryRunner.query(`DROP TABLE "district_news"`);
    await queryRunner.query(`DROP TABLE "district_follows"`);
  }
}
