import { MigrationInterface, QueryRunner } from "typeorm";

const STATUSES = ['DRAFT', 'PUBLISHED', 'QUALIFIED', 'IN_HEARING', 'IN_VOTE', 'ADOPTED', 'REJECTED', 'IN_PROGRESS', 'COMPLETED', 'WITHDRAWN', 'HIDDEN'];
const statusCheck = (statuses: string[]) => `ALTER TABLE "proposals" ADD CONSTRAINT "CHK_proposals_status" CHECK ("status" IN (${statuses.map((s) => `'${s}'`).join(', ')}))`;

/** Hearings that still have their proposals on the way to being heard. */
const NOT_OVER = `('SCHEDULED', 'OPEN', 'IN_SESSION', 'ADJOURNED')`;

/**
 * What a hearing records as it happens: when its doors opened (and why, when long before the start),
 * when its session started, its breaks. Proposals gain HEARD, the status a closed hearing leaves them in;
 * proposals that closed hearings left IN_HEARING (with no other hearing to come) are moved to it, with
 * a line in their history, and hidden ones will be restored to it.
 */
export class HearingRecord1796189620191 implements MigrationInterface {
    name = 'HearingRecord1796189620191'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "hearing_adjournments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "hearing_id" uuid NOT NULL,
                "adjourned_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "resumed_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "CHK_hearing_adjournments_times" CHECK (
                    "resumed_at" IS NULL
                    OR "resumed_at" >= "adjourned_at"
                ),
                CONSTRAINT "PK_a1aaa6eb3a1eacd639fd88022c9" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_hearing_adjournments_hearing" ON "hearing_adjournments" ("hearing_id", "adjourned_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "hearings"
            ADD "opened_at" TIMESTAMP(3) WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "hearings"
            ADD "opening_reason" character varying(1000)
        `);
        await queryRunner.query(`
            ALTER TABLE "hearings"
            ADD "session_started_at" TIMESTAMP(3) WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_adjournments"
            ADD CONSTRAINT "FK_654224ed43b52c271bf1fd1d05b" FOREIGN KEY ("hearing_id") REFERENCES "hearings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`ALTER TABLE "proposals" DROP CONSTRAINT "CHK_proposals_status"`);
        await queryRunner.query(statusCheck([...STATUSES.slice(0, 4), 'HEARD', ...STATUSES.slice(4)]));
        // Stuck proposals: the last closed hearing that had each one is named in its history.
        await queryRunner.query(`
            WITH heard AS (
                SELECT DISTINCT ON (i."proposal_id") i."proposal_id" AS id, h."title"
                FROM "hearing_agenda_items" i JOIN "hearings" h ON h."id" = i."hearing_id"
                WHERE h."status" = 'CLOSED'
                  AND NOT EXISTS (
                      SELECT 1 FROM "hearing_agenda_items" j JOIN "hearings" g ON g."id" = j."hearing_id"
                      WHERE j."proposal_id" = i."proposal_id" AND g."status" IN ${NOT_OVER}
                  )
                ORDER BY i."proposal_id", h."closed_at" DESC NULLS LAST
            ), moved AS (
                UPDATE "proposals" p SET "status" = 'HEARD' FROM heard
                WHERE p."id" = heard.id AND p."status" = 'IN_HEARING'
                RETURNING p."id", heard."title"
            )
            INSERT INTO "proposal_transitions" ("proposal_id", "from_status", "to_status", "actor_id", "note")
            SELECT "id", 'IN_HEARING', 'HEARD', NULL, 'Heard at the hearing “' || "title" || '”' FROM moved
        `);
        await queryRunner.query(`
            UPDATE "proposals" p SET "status_before_hidden" = 'HEARD'
            WHERE p."status" = 'HIDDEN' AND p."status_before_hidden" = 'IN_HEARING'
              AND EXISTS (SELECT 1 FROM "hearing_agenda_items" i JOIN "hearings" h ON h."id" = i."hearing_id" WHERE i."proposal_id" = p."id" AND h."status" = 'CLOSED')
              AND NOT EXISTS (SELECT 1 FROM "hearing_agenda_items" i JOIN "hearings" h ON h."id" = i."hearing_id" WHERE i."proposal_id" = p."id" AND h."status" IN ${NOT_OVER})
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        // HEARD did not exist before: heard proposals are IN_HEARING again (their history keeps what happened).
        await queryRunner.query(`UPDATE "proposals" SET "status" = 'IN_HEARING' WHERE "status" = 'HEARD'`);
        await queryRunner.query(`UPDATE "proposals" SET "status_before_hidden" = 'IN_HEARING' WHERE "status_before_hidden" = 'HEARD'`);
        await queryRunner.query(`ALTER TABLE "proposals" DROP CONSTRAINT "CHK_proposals_status"`);
        await queryRunner.query(statusCheck(STATUSES));
        await queryRunner.query(`
            ALTER TABLE "hearing_adjournments" DROP CONSTRAINT "FK_654224ed43b52c271bf1fd1d05b"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearings" DROP COLUMN "session_started_at"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearings" DROP COLUMN "opening_reason"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearings" DROP COLUMN "opened_at"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_hearing_adjournments_hearing"
        `);
        await queryRunner.query(`
            DROP TABLE "hearing_adjournments"
        `);
    }

}
