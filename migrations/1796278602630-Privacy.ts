import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * PDPA rights: the published versions of the terms and privacy notice, every acceptance of them
 * (append-only), and the data exports an account asked for (fetched once through a hashed one-time token).
 */
export class Privacy1796278602630 implements MigrationInterface {
    name = 'Privacy1796278602630'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "data_exports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "status" character varying(10) NOT NULL,
                "token_hash" character(64) NOT NULL,
                "requested_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "ready_at" TIMESTAMP(3) WITH TIME ZONE,
                "expires_at" TIMESTAMP(3) WITH TIME ZONE,
                "fetched_at" TIMESTAMP(3) WITH TIME ZONE,
                "content" text,
                CONSTRAINT "UQ_faf6658f0568244070599a017d5" UNIQUE ("token_hash"),
                CONSTRAINT "CHK_data_exports_status" CHECK (
                    "status" IN ('PREPARING', 'READY', 'FETCHED', 'EXPIRED')
                ),
                CONSTRAINT "PK_3e8b8b297ef4446f30527695c10" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_data_exports_status" ON "data_exports" ("status")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_data_exports_user" ON "data_exports" ("user_id", "requested_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "terms_versions" (
                "version" character varying(32) NOT NULL,
                "published_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "published_by" uuid,
                "documents" jsonb NOT NULL,
                CONSTRAINT "PK_ca7af0a8f628e245616a6f1eec5" PRIMARY KEY ("version")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_terms_versions_published" ON "terms_versions" ("published_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "terms_acceptances" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "version" character varying(32) NOT NULL,
                "accepted_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "via" character varying(12) NOT NULL,
                CONSTRAINT "CHK_terms_acceptances_via" CHECK ("via" IN ('REGISTRATION', 'ACCEPT_TERMS')),
                CONSTRAINT "PK_6862bb2dab40bd9f9a6ec2098b8" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_terms_acceptances_user_version" ON "terms_acceptances" ("user_id", "version")
        `);
        await queryRunner.query(`
            ALTER TABLE "data_exports"
            ADD CONSTRAINT "FK_8ee9254a3040f10d3f57d789d29" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "terms_versions"
            ADD CONSTRAINT "FK_be7cc0f1cc4d191c6c3f218bb2b" FOREIGN KEY ("published_by") REFERENCES "users"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "terms_acceptances"
            ADD CONSTRAINT "FK_64be8234615202977baf55453ba" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "terms_acceptances"
            ADD CONSTRAINT "FK_f486f9e84a8c27a93402c9e5ac7" FOREIGN KEY ("version") REFERENCES "terms_versions"("version") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "terms_acceptances" DROP CONSTRAINT "FK_f486f9e84a8c27a93402c9e5ac7"
        `);
        await queryRunner.query(`
            ALTER TABLE "terms_acceptances" DROP CONSTRAINT "FK_64be8234615202977baf55453ba"
        `);
        await queryRunner.query(`
            ALTER TABLE "terms_versions" DROP CONSTRAINT "FK_be7cc0f1cc4d191c6c3f218bb2b"
        `);
        await queryRunner.query(`
            ALTER TABLE "data_exports" DROP CONSTRAINT "FK_8ee9254a3040f10d3f57d789d29"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_terms_acceptances_user_version"
        `);
        await queryRunner.query(`
            DROP TABLE "terms_acceptances"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_terms_versions_published"
        `);
        await queryRunner.query(`
            DROP TABLE "terms_versions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_data_exports_user"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_data_exports_status"
        `);
        await queryRunner.query(`
            DROP TABLE "data_exports"
        `);
    }

}
