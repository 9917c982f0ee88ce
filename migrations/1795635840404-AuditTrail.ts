import { MigrationInterface, QueryRunner } from "typeorm";

export class AuditTrail1795635840404 implements MigrationInterface {
    name = 'AuditTrail1795635840404'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "audit_entries" (
                "id" BIGSERIAL NOT NULL,
                "district_code" character varying(4) NOT NULL,
                "actor_id" uuid,
                "action" character varying(60) NOT NULL,
                "subject" character varying(200),
                "request_id" character varying(100),
                "outcome" character varying(8) NOT NULL,
                "error_code" character varying(40),
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "chain_seq" integer,
                "prev_hash" character(64),
                "hash" character(64),
                CONSTRAINT "CHK_audit_entries_outcome" CHECK ("outcome" IN ('SUCCESS', 'REFUSED')),
                CONSTRAINT "PK_6b1623bcad4d04530b76548d619" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_audit_entries_unchained" ON "audit_entries" ("district_code", "id")
            WHERE "chain_seq" IS NULL
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_audit_entries_district_chain" ON "audit_entries" ("district_code", "chain_seq")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."IDX_audit_entries_district_chain"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_audit_entries_unchained"
        `);
        await queryRunner.query(`
            DROP TABLE "audit_entries"
        `);
    }

}
