import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Each district's eligible voters, kept by statement-level triggers on residencies: a bulk insert of
 * a million residents updates each district's row once, and every write path (the service, COPY,
 * a cascade from a deleted account) is counted. TRUNCATE is not: nothing in the product truncates.
 */
export class DistrictElectorates1795650075684 implements MigrationInterface {
    name = 'DistrictElectorates1795650075684'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "district_electorates" (
                "district_code" character varying(4) NOT NULL,
                "eligible_voters" integer NOT NULL DEFAULT '0',
                CONSTRAINT "PK_district_electorates" PRIMARY KEY ("district_code")
            )
        `);
        await queryRunner.query(`
            INSERT INTO "district_electorates" ("district_code", "eligible_voters")
            SELECT "district_code", count(*) FROM "residencies" WHERE "status" = 'APPROVED' GROUP BY "district_code"
        `);
        await queryRunner.query(`
            CREATE FUNCTION "count_district_electorates"() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO "district_electorates" ("district_code", "eligible_voters")
                    SELECT "district_code", count(*) FROM "new_rows" WHERE "status" = 'APPROVED' GROUP BY "district_code"
                    ON CONFLICT ("district_code") DO UPDATE SET "eligible_voters" = "district_electorates"."eligible_voters" + EXCLUDED."eligible_voters";
                ELSIF TG_OP = 'DELETE' THEN
                    UPDATE "district_electorates" e SET "eligible_voters" = e."eligible_voters" - c.n
                    FROM (SELECT "district_code", count(*) AS n FROM "old_rows" WHERE "status" = 'APPROVED' GROUP BY "district_code") c
                    WHERE e."district_code" = c."district_code";
                ELSE
                    INSERT INTO "district_electorates" ("district_code", "eligible_voters")
                    SELECT "district_code", sum(d) FROM (
                        SELECT "district_code", 1 AS d FROM "new_rows" WHERE "status" = 'APPROVED'
                        UNION ALL
                        SELECT "district_code", -1 AS d FROM "old_rows" WHERE "status" = 'APPROVED'
                    ) changes GROUP BY "district_code" HAVING sum(d) <> 0
                    ON CONFLICT ("district_code") DO UPDATE SET "eligible_voters" = "district_electorates"."eligible_voters" + EXCLUDED."eligible_voters";
                END IF;
                RETURN NULL;
            END
            $$
        `);
        await queryRunner.query(`
            CREATE TRIGGER "TRG_residencies_electorate_insert" AFTER INSERT ON "residencies"
            REFERENCING NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "count_district_electorates"()
        `);
        await queryRunner.query(`
            CREATE TRIGGER "TRG_residencies_electorate_update" AFTER UPDATE ON "residencies"
            REFERENCING OLD TABLE AS "old_rows" NEW TABLE AS "new_rows" FOR EACH STATEMENT EXECUTE FUNCTION "count_district_electorates"()
        `);
        await queryRunner.query(`
            CREATE TRIGGER "TRG_residencies_electorate_delete" AFTER DELETE ON "residencies"
            REFERENCING OLD TABLE AS "old_rows" FOR EACH STATEMENT EXECUTE FUNCTION "count_district_electorates"()
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP TRIGGER "TRG_residencies_electorate_delete" ON "residencies"`);
        await queryRunner.query(`DROP TRIGGER "TRG_residencies_electorate_update" ON "residencies"`);
        await queryRunner.query(`DROP TRIGGER "TRG_residencies_electorate_insert" ON "residencies"`);
        await queryRunner.query(`DROP FUNCTION "count_district_electorates"()`);
        await queryRunner.query(`DROP TABLE "district_electorates"`);
    }
}
