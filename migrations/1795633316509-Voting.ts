import { MigrationInterface, QueryRunner } from "typeorm";

export class Voting1795633316509 implements MigrationInterface {
    name = 'Voting1795633316509'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "voting_rounds" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "district_code" character varying(4) NOT NULL,
                "title" character varying(200) NOT NULL,
                "description" text NOT NULL DEFAULT '',
                "method" character varying(16) NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'DRAFT',
                "opens_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "closes_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "secret" boolean NOT NULL DEFAULT true,
                "results_visibility" character varying(12) NOT NULL DEFAULT 'AFTER_CLOSE',
                "allow_revote" boolean NOT NULL DEFAULT false,
                "quorum" integer NOT NULL DEFAULT '0',
                "max_selections" integer,
                "budget" numeric(15, 2),
                "created_by" uuid NOT NULL,
                "results" jsonb,
                "record_head" character(64),
                "eligible_at_close" integer,
                "cancel_reason" character varying(1000),
                "closed_at" TIMESTAMP(3) WITH TIME ZONE,
                "certified_at" TIMESTAMP(3) WITH TIME ZONE,
                "certified_by" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_voting_rounds_times" CHECK ("closes_at" > "opens_at"),
                CONSTRAINT "CHK_voting_rounds_visibility" CHECK ("results_visibility" IN ('LIVE', 'AFTER_CLOSE')),
                CONSTRAINT "CHK_voting_rounds_status" CHECK (
                    "status" IN (
                        'DRAFT',
                        'SCHEDULED',
                        'OPEN',
                        'CLOSED',
                        'CERTIFIED',
                        'CANCELLED'
                    )
                ),
                CONSTRAINT "CHK_voting_rounds_method" CHECK (
                    "method" IN (
                        'SINGLE_CHOICE',
                        'APPROVAL',
                        'RANKED_CHOICE',
                        'BUDGET'
                    )
                ),
                CONSTRAINT "PK_c06acedf4becb9cf6044d12408e" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_voting_rounds_schedule" ON "voting_rounds" ("status", "opens_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_voting_rounds_district" ON "voting_rounds" ("district_code", "opens_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "voting_options" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "label" character varying(200) NOT NULL,
                "proposal_id" uuid,
                "cost" numeric(15, 2),
                CONSTRAINT "CHK_voting_options_cost" CHECK (
                    "cost" IS NULL
                    OR "cost" >= 0
                ),
                CONSTRAINT "PK_ae3abc6770aab288beeb57bff9a" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_voting_options_round" ON "voting_options" ("round_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "voting_participations" (
                "round_id" uuid NOT NULL,
                "voter_id" uuid NOT NULL,
                CONSTRAINT "PK_59d3e4df10903582d87e71ad00d" PRIMARY KEY ("round_id", "voter_id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "ballots" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "round_id" uuid NOT NULL,
                "slot" character(64) NOT NULL,
                "receipt_hash" character(64) NOT NULL,
                "choices" smallint array NOT NULL,
                "voter_id" uuid,
                "record_position" integer,
                "record_hash" character(64),
                CONSTRAINT "PK_1c29cf82a8045f839f8639634e9" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_ballots_record" ON "ballots" ("round_id", "record_position")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_ballots_receipt" ON "ballots" ("round_id", "receipt_hash")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_ballots_slot" ON "ballots" ("round_id", "slot")
        `);
        await queryRunner.query(`
            CREATE TABLE "tally_shards" (
                "round_id" uuid NOT NULL,
                "position" smallint NOT NULL,
                "shard" smallint NOT NULL,
                "count" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "PK_b52ed3f99d9ecdf0f6c44316a5c" PRIMARY KEY ("round_id", "position", "shard")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_rounds"
            ADD CONSTRAINT "FK_b5afa1eb198ff9d42df03cc4ec8" FOREIGN KEY ("district_code") REFERENCES "districts"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_options"
            ADD CONSTRAINT "FK_09cb383f1f4db8c3ff9ee240496" FOREIGN KEY ("round_id") REFERENCES "voting_rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_options"
            ADD CONSTRAINT "FK_189138cd5cffc31d043d161f7ee" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_participations"
            ADD CONSTRAINT "FK_379031f72f1451974b91e0f9ec4" FOREIGN KEY ("round_id") REFERENCES "voting_rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_participations"
            ADD CONSTRAINT "FK_09c3a163c9da98ec74f48282a41" FOREIGN KEY ("voter_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "ballots"
            ADD CONSTRAINT "FK_e964dcf304bed118754e4eb03b2" FOREIGN KEY ("round_id") REFERENCES "voting_rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "tally_shards"
            ADD CONSTRAINT "FK_de4e8aa0ff89403121d7791dce8" FOREIGN KEY ("round_id") REFERENCES "voting_rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "tally_shards" DROP CONSTRAINT "FK_de4e8aa0ff89403121d7791dce8"
        `);
        await queryRunner.query(`
            ALTER TABLE "ballots" DROP CONSTRAINT "FK_e964dcf304bed118754e4eb03b2"
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_participations" DROP CONSTRAINT "FK_09c3a163c9da98ec74f48282a41"
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_participations" DROP CONSTRAINT "FK_379031f72f1451974b91e0f9ec4"
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_options" DROP CONSTRAINT "FK_189138cd5cffc31d043d161f7ee"
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_options" DROP CONSTRAINT "FK_09cb383f1f4db8c3ff9ee240496"
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_rounds" DROP CONSTRAINT "FK_b5afa1eb198ff9d42df03cc4ec8"
        `);
        await queryRunner.query(`
            DROP TABLE "tally_shards"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_ballots_slot"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_ballots_receipt"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_ballots_record"
        `);
        await queryRunner.query(`
            DROP TABLE "ballots"
        `);
        await queryRunner.query(`
            DROP TABLE "voting_participations"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_voting_options_round"
        `);
        await queryRunner.query(`
            DROP TABLE "voting_options"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_voting_rounds_district"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_voting_rounds_schedule"
        `);
        await queryRunner.query(`
            DROP TABLE "voting_rounds"
        `);
    }

}
