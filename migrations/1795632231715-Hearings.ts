import { MigrationInterface, QueryRunner } from "typeorm";

export class Hearings1795632231715 implements MigrationInterface {
    name = 'Hearings1795632231715'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "hearings" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "district_code" character varying(4) NOT NULL,
                "title" character varying(200) NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "starts_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "ends_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "venue" character varying(500),
                "online_url" character varying(500),
                "capacity" integer NOT NULL,
                "status" character varying(12) NOT NULL DEFAULT 'SCHEDULED',
                "speaker_time_limit_seconds" integer NOT NULL DEFAULT '180',
                "first_time_speakers_first" boolean NOT NULL DEFAULT true,
                "current_agenda_item_id" uuid,
                "current_item_started_at" TIMESTAMP(3) WITH TIME ZONE,
                "summary" text,
                "cancel_reason" character varying(1000),
                "sequence" integer NOT NULL DEFAULT '0',
                "created_by" uuid NOT NULL,
                "closed_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_hearings_capacity" CHECK ("capacity" >= 1),
                CONSTRAINT "CHK_hearings_times" CHECK ("ends_at" > "starts_at"),
                CONSTRAINT "CHK_hearings_status" CHECK (
                    "status" IN (
                        'SCHEDULED',
                        'OPEN',
                        'IN_SESSION',
                        'ADJOURNED',
                        'CLOSED',
                        'CANCELLED'
                    )
                ),
                CONSTRAINT "PK_79d1a17d4ddd70a11c44bf3b42c" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_hearings_district_starts" ON "hearings" ("district_code", "starts_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "hearing_agenda_items" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "hearing_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "title" character varying(200) NOT NULL,
                "proposal_id" uuid,
                "planned_minutes" integer NOT NULL,
                "seconds_spent" integer NOT NULL DEFAULT '0',
                CONSTRAINT "CHK_hearing_agenda_items_minutes" CHECK (
                    "planned_minutes" BETWEEN 1 AND 600
                ),
                CONSTRAINT "PK_0d8a7fdf1a74187b3e247d7dad3" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_hearing_agenda_items_proposal" ON "hearing_agenda_items" ("proposal_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_hearing_agenda_items_hearing" ON "hearing_agenda_items" ("hearing_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "hearing_registrations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "hearing_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "status" character varying(10) NOT NULL,
                "mode" character varying(10) NOT NULL DEFAULT 'IN_PERSON',
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "promoted_at" TIMESTAMP(3) WITH TIME ZONE,
                "checked_in_at" TIMESTAMP(3) WITH TIME ZONE,
                "cancelled_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "CHK_hearing_registrations_mode" CHECK ("mode" IN ('IN_PERSON', 'ONLINE')),
                CONSTRAINT "CHK_hearing_registrations_status" CHECK (
                    "status" IN ('CONFIRMED', 'WAITLISTED', 'CANCELLED')
                ),
                CONSTRAINT "PK_78d79fd7e1c167eada78d25e479" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_hearing_registrations_queue" ON "hearing_registrations" ("hearing_id", "status", "created_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_hearing_registrations_live" ON "hearing_registrations" ("hearing_id", "user_id")
            WHERE "status" <> 'CANCELLED'
        `);
        await queryRunner.query(`
            CREATE TABLE "hearing_speaker_requests" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "hearing_id" uuid NOT NULL,
                "agenda_item_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "stance" character varying(8),
                "status" character varying(10) NOT NULL DEFAULT 'QUEUED',
                "first_time" boolean NOT NULL,
                "requested_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "granted_at" TIMESTAMP(3) WITH TIME ZONE,
                "deadline_at" TIMESTAMP(3) WITH TIME ZONE,
                "ended_at" TIMESTAMP(3) WITH TIME ZONE,
                "end_reason" character varying(8),
                CONSTRAINT "CHK_hearing_speaker_requests_status" CHECK (
                    "status" IN ('QUEUED', 'WITHDRAWN', 'SPEAKING', 'DONE')
                ),
                CONSTRAINT "PK_1d021693a9c3de1cd9c5a0e2929" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_hearing_speaker_requests_queue" ON "hearing_speaker_requests" (
                "hearing_id",
                "agenda_item_id",
                "status",
                "requested_at"
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_hearing_speaker_requests_floor" ON "hearing_speaker_requests" ("hearing_id")
            WHERE "status" = 'SPEAKING'
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_hearing_speaker_requests_queued" ON "hearing_speaker_requests" ("agenda_item_id", "user_id")
            WHERE "status" IN ('QUEUED', 'SPEAKING')
        `);
        await queryRunner.query(`
            CREATE TABLE "hearing_statements" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "hearing_id" uuid NOT NULL,
                "agenda_item_id" uuid NOT NULL,
                "speaker_id" uuid NOT NULL,
                "speaker_request_id" uuid NOT NULL,
                "stance" character varying(8),
                "started_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "ended_at" TIMESTAMP(3) WITH TIME ZONE,
                "text" character varying(10000) NOT NULL DEFAULT '',
                "recorded_by" uuid,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_301ad44ed8a3b6c6889b46b32d7" UNIQUE ("speaker_request_id"),
                CONSTRAINT "PK_0eec53fe84d1c3d6144f0351f88" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_hearing_statements_hearing" ON "hearing_statements" ("hearing_id", "started_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "hearing_questions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "hearing_id" uuid NOT NULL,
                "author_id" uuid NOT NULL,
                "text" character varying(1000) NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'OPEN',
                "upvote_count" integer NOT NULL DEFAULT '0',
                "answer" character varying(5000),
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "resolved_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "CHK_hearing_questions_status" CHECK ("status" IN ('OPEN', 'ANSWERED', 'DISMISSED')),
                CONSTRAINT "PK_6a847731b78e8f5e9ec4af2b91b" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_hearing_questions_rank" ON "hearing_questions" ("hearing_id", "status", "upvote_count")
        `);
        await queryRunner.query(`
            CREATE TABLE "hearing_question_upvotes" (
                "question_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_8276685b9611da8f2b1b9caa4df" PRIMARY KEY ("question_id", "user_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD "hearing_id" uuid
        `);
        await queryRunner.query(`
            ALTER TABLE "hearings"
            ADD CONSTRAINT "FK_67579093e9a25e919322d2343f3" FOREIGN KEY ("district_code") REFERENCES "districts"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_agenda_items"
            ADD CONSTRAINT "FK_7f608d3550863948aa8f091a256" FOREIGN KEY ("hearing_id") REFERENCES "hearings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_agenda_items"
            ADD CONSTRAINT "FK_6278a9c5f99238aae5592c3df0f" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_registrations"
            ADD CONSTRAINT "FK_7299f4f121fbbffe63b9452400f" FOREIGN KEY ("hearing_id") REFERENCES "hearings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_registrations"
            ADD CONSTRAINT "FK_85f793bea1d50428645b75cf0d7" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_speaker_requests"
            ADD CONSTRAINT "FK_0ec96c4d4486478c852c9443689" FOREIGN KEY ("hearing_id") REFERENCES "hearings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_speaker_requests"
            ADD CONSTRAINT "FK_c339be09afe99d95d77548385d3" FOREIGN KEY ("agenda_item_id") REFERENCES "hearing_agenda_items"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_speaker_requests"
            ADD CONSTRAINT "FK_f9b910e7abd864c91a8494704f5" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_statements"
            ADD CONSTRAINT "FK_a27f64b2aaa29efa06c46b7e9c3" FOREIGN KEY ("hearing_id") REFERENCES "hearings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_questions"
            ADD CONSTRAINT "FK_9d5c862aef7de76e791d172078a" FOREIGN KEY ("hearing_id") REFERENCES "hearings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_question_upvotes"
            ADD CONSTRAINT "FK_e03bfe3ca26e237d307f4486352" FOREIGN KEY ("question_id") REFERENCES "hearing_questions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        // New notification kinds. TypeORM compares CHECK constraints by name only, so it does not write this.
        await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
        await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN ('COMMENT_REPLY', 'PROPOSAL_STATUS_CHANGED', 'COMMENT_HIDDEN', 'COMMENT_RESTORED', 'COSPONSOR_INVITATION', 'HEARING_OPENED', 'HEARING_RESCHEDULED', 'HEARING_AGENDA_CHANGED', 'HEARING_CANCELLED', 'WAITLIST_PROMOTED'))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DELETE FROM "notifications" WHERE "kind" NOT IN ('COMMENT_REPLY', 'PROPOSAL_STATUS_CHANGED', 'COMMENT_HIDDEN', 'COMMENT_RESTORED', 'COSPONSOR_INVITATION')`);
        await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
        await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN ('COMMENT_REPLY', 'PROPOSAL_STATUS_CHANGED', 'COMMENT_HIDDEN', 'COMMENT_RESTORED', 'COSPONSOR_INVITATION'))`);
        await queryRunner.query(`
            ALTER TABLE "hearing_question_upvotes" DROP CONSTRAINT "FK_e03bfe3ca26e237d307f4486352"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_questions" DROP CONSTRAINT "FK_9d5c862aef7de76e791d172078a"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_statements" DROP CONSTRAINT "FK_a27f64b2aaa29efa06c46b7e9c3"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_speaker_requests" DROP CONSTRAINT "FK_f9b910e7abd864c91a8494704f5"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_speaker_requests" DROP CONSTRAINT "FK_c339be09afe99d95d77548385d3"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_speaker_requests" DROP CONSTRAINT "FK_0ec96c4d4486478c852c9443689"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_registrations" DROP CONSTRAINT "FK_85f793bea1d50428645b75cf0d7"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_registrations" DROP CONSTRAINT "FK_7299f4f121fbbffe63b9452400f"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_agenda_items" DROP CONSTRAINT "FK_6278a9c5f99238aae5592c3df0f"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_agenda_items" DROP CONSTRAINT "FK_7f608d3550863948aa8f091a256"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearings" DROP CONSTRAINT "FK_67579093e9a25e919322d2343f3"
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications" DROP COLUMN "hearing_id"
        `);
        await queryRunner.query(`
            DROP TABLE "hearing_question_upvotes"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_hearing_questions_rank"
        `);
        await queryRunner.query(`
            DROP TABLE "hearing_questions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_hearing_statements_hearing"
        `);
        await queryRunner.query(`
            DROP TABLE "hearing_statements"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_hearing_speaker_requests_queued"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_hearing_speaker_requests_floor"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_hearing_speaker_requests_queue"
        `);
        await queryRunner.query(`
            DROP TABLE "hearing_speaker_requests"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_hearing_registrations_live"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_hearing_registrations_queue"
        `);
        await queryRunner.query(`
            DROP TABLE "hearing_registrations"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_hearing_agenda_items_hearing"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_hearing_agenda_items_proposal"
        `);
        await queryRunner.query(`
            DROP TABLE "hearing_agenda_items"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_hearings_district_starts"
        `);
        await queryRunner.query(`
            DROP TABLE "hearings"
        `);
    }

}
