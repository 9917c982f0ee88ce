import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Notifications keep what their text is made from (`values`: statuses, reasons, titles, times as ISO
 * strings) instead of English text, and are written in the reader's language when read. The English
 * `detail` of existing rows is taken apart where its shape is known (every shape the code wrote:
 * "FROM → TO: note", a reason, a place, "start – end, venue", "a · b · c", "A seat came free at “title”");
 * hearing kinds get the hearing's title. A detail whose shape is not recognised is kept as `legacyText`
 * and shown as it was. Down writes the English detail back from the values.
 */
export class StructuredNotifications1796278627962 implements MigrationInterface {
    name = 'StructuredNotifications1796278627962'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD "values" jsonb NOT NULL DEFAULT '{}'
        `);
        await queryRunner.query(`
            UPDATE "notifications" n SET "values" = jsonb_strip_nulls(jsonb_build_object('from', p.m[1], 'to', p.m[2], 'note', p.m[3]))
            FROM (SELECT "id", regexp_match("detail", '^([A-Z_]+) → ([A-Z_]+)(?:: (.*))?$') AS m FROM "notifications" WHERE "kind" = 'PROPOSAL_STATUS_CHANGED') p
            WHERE n."id" = p."id" AND p.m IS NOT NULL
        `);
        await queryRunner.query(`
            UPDATE "notifications" SET "values" = jsonb_build_object('reason', "detail")
            WHERE "kind" IN ('COMMENT_HIDDEN', 'COMMENT_RESTORED', 'HEARING_CANCELLED') AND "detail" IS NOT NULL
        `);
        await queryRunner.query(`
            UPDATE "notifications" SET "values" = jsonb_build_object('place', "detail")
            WHERE "kind" = 'HEARING_OPENED' AND "detail" IS NOT NULL
        `);
        await queryRunner.query(`
            UPDATE "notifications" n SET "values" = jsonb_strip_nulls(jsonb_build_object('startsAt', p.m[1], 'endsAt', p.m[2], 'place', p.m[3]))
            FROM (SELECT "id", regexp_match("detail", '^(\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z) – (\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z)(?:, (.*))?$') AS m FROM "notifications" WHERE "kind" = 'HEARING_RESCHEDULED') p
            WHERE n."id" = p."id" AND p.m IS NOT NULL
        `);
        await queryRunner.query(`
            UPDATE "notifications" SET "values" = jsonb_build_object('agenda', to_jsonb(CASE WHEN coalesce("detail", '') = '' THEN ARRAY[]::text[] ELSE string_to_array("detail", ' · ') END))
            WHERE "kind" = 'HEARING_AGENDA_CHANGED'
        `);
        await queryRunner.query(`
            UPDATE "notifications" n SET "values" = jsonb_build_object('hearing', p.m[1])
            FROM (SELECT "id", regexp_match("detail", '^A seat came free at “(.*)”$') AS m FROM "notifications" WHERE "kind" = 'WAITLIST_PROMOTED') p
            WHERE n."id" = p."id" AND p.m IS NOT NULL
        `);
        // A shape not recognised (only the two parsed kinds can miss; the others take any text) is kept as it was.
        await queryRunner.query(`
            UPDATE "notifications" SET "values" = jsonb_build_object('legacyText', "detail")
            WHERE "detail" IS NOT NULL AND "values" = '{}' AND "kind" IN ('PROPOSAL_STATUS_CHANGED', 'HEARING_RESCHEDULED', 'WAITLIST_PROMOTED')
        `);
        await queryRunner.query(`
            UPDATE "notifications" n SET "values" = jsonb_build_object('hearing', h."title") || n."values"
            FROM "hearings" h
            WHERE h."id" = n."hearing_id" AND (n."kind" LIKE 'HEARING\\_%' OR n."kind" = 'WAITLIST_PROMOTED')
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications" DROP COLUMN "detail"
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD "detail" character varying(1000)
        `);
        await queryRunner.query(`
            UPDATE "notifications" SET "detail" = left(coalesce(
                "values"->>'legacyText',
                CASE "kind"
                    WHEN 'PROPOSAL_STATUS_CHANGED' THEN ("values"->>'from') || ' → ' || ("values"->>'to') || coalesce(': ' || CASE WHEN jsonb_typeof("values"->'note') = 'string' THEN "values"->>'note' END, '')
                    WHEN 'HEARING_OPENED' THEN "values"->>'place'
                    WHEN 'HEARING_RESCHEDULED' THEN ("values"->>'startsAt') || ' – ' || ("values"->>'endsAt') || coalesce(', ' || ("values"->>'place'), '')
                    WHEN 'HEARING_AGENDA_CHANGED' THEN (SELECT string_agg(item, ' · ') FROM jsonb_array_elements_text("values"->'agenda') AS item)
                    WHEN 'WAITLIST_PROMOTED' THEN 'A seat came free at “' || ("values"->>'hearing') || '”'
                    ELSE "values"->>'reason'
                END
            ), 1000)
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications" DROP COLUMN "values"
        `);
    }
}
