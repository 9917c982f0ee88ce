import { MigrationInterface, QueryRunner } from 'typeorm';

/** Districts' (and the city's) announcements, with the versions their edits replaced. */
export class Announcements1796366000001 implements MigrationInterface {
  name = 'Announcements1796366000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "announcements" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "district_code" character varying(4),
                "kind" character varying(12) NOT NULL,
                "status" character varying(12) NOT NULL,
                "title_th" character varying(200) NOT NULL,
                "title_en" character varying(200),
                "body_th" character varying(10000) NOT NULL,
                "body_en" character varying(10000),
                "valid_from" TIMESTAMP(3) WITH TIME ZONE,
                "valid_until" TIMESTAMP(3) WITH TIME ZONE,
                "publish_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "pinned" boolean NOT NULL DEFAULT false,
                "version" integer NOT NULL DEFAULT 1,
                "withdrawn_at" TIMESTAMP(3) WITH TIME ZONE,
                "withdrawal_reason" character varying(1000),
                "proposal_id" uuid,
                "hearing_id" uuid,
                "voting_round_id" uuid,
                "questionnaire_id" uuid,
                "report_id" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_announcements_kind" CHECK ("kind" IN ('NEWS', 'NOTICE', 'EMERGENCY', 'EVENT')),
                CONSTRAINT "CHK_announcements_status" CHECK ("status" IN ('SCHEDULED', 'PUBLISHED', 'WITHDRAWN')),
                CONSTRAINT "CHK_announcements_validity" CHECK ("valid_until" IS NULL OR "valid_from" IS NULL OR "valid_until" > "valid_from"),
                CONSTRAINT "PK_announcements" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`CREATE INDEX "IDX_announcements_district_list" ON "announcements" ("district_code", "status", "pinned", "publish_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_announcements_due" ON "announcements" ("publish_at") WHERE "status" = 'SCHEDULED'`);
    await queryRunner.query(`
            CREATE TABLE "announcement_versions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "announcement_id" uuid NOT NULL,
                "version" integer NOT NULL,
                "kind" character varying(12) NOT NULL,
                "title_th" character varying(200) NOT NULL,
                "title_en" character varying(200),
                "body_th" character varying(10000) NOT NULL,
                "body_en" character varying(10000),
                "valid_from" TIMESTAMP(3) WITH TIME ZONE,
                "valid_until" TIMESTAMP(3) WITH TIME ZONE,
                "replaced_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_announcement_versions_version" UNIQUE ("announcement_id", "version"),
                CONSTRAINT "PK_announcement_versions" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`ALTER TABLE "announcements" ADD CONSTRAINT "FK_announcements_district" FOREIGN KEY ("district_code") REFERENCES "districts"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "announcements" ADD CONSTRAINT "FK_announcements_proposal" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "announcements" ADD CONSTRAINT "FK_announcements_hearing" FOREIGN KEY ("hearing_id") REFERENCES "hearings"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "announcements" ADD CONSTRAINT "FK_announcements_voting_round" FOREIGN KEY ("voting_round_id") REFERENCES "voting_rounds"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "announcements" ADD CONSTRAINT "FK_announcements_report" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "announcement_versions" ADD CONSTRAINT "FK_announcement_versions_announcement" FOREIGN KEY ("announcement_id") REFERENCES "announcements"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "announcement_versions"`);
    await queryRunner.query(`DROP TABLE "announcements"`);
  }
}
