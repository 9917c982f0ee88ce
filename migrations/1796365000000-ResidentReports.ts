import { MigrationInterface, QueryRunner } from "typeorm";

/** The categories a report may be filed under, with their Thai and English names; retired ones stay on old reports. */
const CATEGORIES: [code: string, th: string, en: string][] = [
    ['ROADS', 'ถนน', 'Roads'],
    ['FOOTPATHS', 'ทางเท้า', 'Footpaths'],
    ['FLOODING_AND_DRAINAGE', 'น้ำท่วมและการระบายน้ำ', 'Flooding and drainage'],
    ['STREET_LIGHTS', 'ไฟฟ้าส่องสว่าง', 'Street lights'],
    ['WASTE', 'ขยะ', 'Waste'],
    ['TREES', 'ต้นไม้', 'Trees'],
    ['NOISE', 'เสียงรบกวน', 'Noise'],
    ['SAFETY', 'ความปลอดภัย', 'Safety'],
    ['TRAFFIC', 'การจราจร', 'Traffic'],
    ['STRAY_ANIMALS', 'สัตว์จรจัด', 'Stray animals'],
    ['PUBLIC_HEALTH', 'สาธารณสุข', 'Public health'],
    ['OTHER', 'อื่น ๆ', 'Other'],
];

const KINDS_BEFORE = `'COMMENT_REPLY', 'PROPOSAL_STATUS_CHANGED', 'COMMENT_HIDDEN', 'COMMENT_RESTORED', 'COSPONSOR_INVITATION', 'HEARING_OPENED', 'HEARING_RESCHEDULED', 'HEARING_AGENDA_CHANGED', 'HEARING_CANCELLED', 'WAITLIST_PROMOTED'`;

/**
 * Residents' reports (complaints and suggestions) about places in a district: categories, the reports,
 * their history and their supporters ("me too"). Nearby reports are found with the cube and earthdistance
 * extensions, through a GiST index on ll_to_earth(latitude, longitude). Notifications may be about a report.
 */
export class ResidentReports1796365000000 implements MigrationInterface {
    name = 'ResidentReports1796365000000'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS cube`);
        await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS earthdistance`);
        await queryRunner.query(`
            CREATE TABLE "report_categories" (
                "code" character varying(40) NOT NULL,
                "name_th" character varying(100) NOT NULL,
                "name_en" character varying(100) NOT NULL,
                "active" boolean NOT NULL DEFAULT true,
                "position" integer NOT NULL DEFAULT 0,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_report_categories" PRIMARY KEY ("code")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "reports" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "kind" character varying(12) NOT NULL,
                "category_code" character varying(40) NOT NULL,
                "description" character varying(5000) NOT NULL,
                "latitude" double precision NOT NULL,
                "longitude" double precision NOT NULL,
                "address" character varying(500),
                "landmark" character varying(300),
                "district_code" character varying(4) NOT NULL,
                "channel" character varying(12) NOT NULL,
                "status" character varying(12) NOT NULL DEFAULT 'RECEIVED',
                "reporter_id" uuid,
                "filed_by_id" uuid,
                "caller_name" character varying(200),
                "caller_phone" character varying(30),
                "forwarded_to_agency" character varying(200),
                "merged_into_id" uuid,
                "support_count" integer NOT NULL DEFAULT 0,
                "resolved_at" TIMESTAMP(3) WITH TIME ZONE,
                "rating" integer,
                "rating_comment" character varying(1000),
                "rated_at" TIMESTAMP(3) WITH TIME ZONE,
                "search_text" text NOT NULL DEFAULT '',
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_reports_kind" CHECK ("kind" IN ('COMPLAINT', 'SUGGESTION')),
                CONSTRAINT "CHK_reports_channel" CHECK ("channel" IN ('APP', 'WEB', 'HOTLINE_1555', 'SOCIAL', 'WALK_IN', 'KIOSK')),
                CONSTRAINT "CHK_reports_status" CHECK ("status" IN ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS', 'RESOLVED', 'REJECTED', 'FORWARDED', 'MERGED')),
                CONSTRAINT "CHK_reports_rating" CHECK ("rating" IS NULL OR "rating" BETWEEN 1 AND 5),
                CONSTRAINT "CHK_reports_support_count" CHECK ("support_count" >= 0),
                CONSTRAINT "PK_reports" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`CREATE INDEX "IDX_reports_district_status" ON "reports" ("district_code", "status")`);
        await queryRunner.query(`CREATE INDEX "IDX_reports_reporter" ON "reports" ("reporter_id")`);
        await queryRunner.query(`CREATE INDEX "IDX_reports_created" ON "reports" ("created_at")`);
        await queryRunner.query(`CREATE INDEX "IDX_reports_place" ON "reports" USING gist (ll_to_earth("latitude", "longitude"))`);
        await queryRunner.query(`
            CREATE TABLE "report_transitions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "report_id" uuid NOT NULL,
                "action" character varying(20) NOT NULL,
                "from_status" character varying(12),
                "to_status" character varying(12) NOT NULL,
                "actor_id" uuid,
                "by_staff" boolean NOT NULL DEFAULT false,
                "note" character varying(1000),
                "from_district_code" character varying(4),
                "to_district_code" character varying(4),
                "agency" character varying(200),
                "merged_into_id" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_report_transitions" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`CREATE INDEX "IDX_report_transitions_report" ON "report_transitions" ("report_id", "created_at")`);
        await queryRunner.query(`
            CREATE TABLE "report_supports" (
                "report_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_report_supports" PRIMARY KEY ("report_id", "user_id")
            )
        `);
        await queryRunner.query(`CREATE INDEX "IDX_report_supports_user" ON "report_supports" ("user_id")`);
        await queryRunner.query(`ALTER TABLE "reports" ADD CONSTRAINT "FK_reports_category" FOREIGN KEY ("category_code") REFERENCES "report_categories"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "reports" ADD CONSTRAINT "FK_reports_district" FOREIGN KEY ("district_code") REFERENCES "districts"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "reports" ADD CONSTRAINT "FK_reports_reporter" FOREIGN KEY ("reporter_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "reports" ADD CONSTRAINT "FK_reports_filed_by" FOREIGN KEY ("filed_by_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "reports" ADD CONSTRAINT "FK_reports_merged_into" FOREIGN KEY ("merged_into_id") REFERENCES "reports"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "report_transitions" ADD CONSTRAINT "FK_report_transitions_report" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "report_supports" ADD CONSTRAINT "FK_report_supports_report" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "report_supports" ADD CONSTRAINT "FK_report_supports_user" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        for (const [i, [code, th, en]] of CATEGORIES.entries()) {
            await queryRunner.query(`INSERT INTO "report_categories" ("code", "name_th", "name_en", "position") VALUES ($1, $2, $3, $4)`, [code, th, en, (i + 1) * 10]);
        }
        await queryRunner.query(`ALTER TABLE "notifications" ADD "report_id" uuid`);
        await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
        await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${KINDS_BEFORE}, 'REPORT_STATUS_CHANGED'))`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DELETE FROM "notifications" WHERE "kind" = 'REPORT_STATUS_CHANGED'`);
        await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
        await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${KINDS_BEFORE}))`);
        await queryRunner.query(`ALTER TABLE "notifications" DROP COLUMN "report_id"`);
        await queryRunner.query(`DROP TABLE "report_supports"`);
        await queryRunner.query(`DROP TABLE "report_transitions"`);
        await queryRunner.query(`DROP TABLE "reports"`);
        await queryRunner.query(`DROP TABLE "report_categories"`);
        await queryRunner.query(`DROP EXTENSION IF EXISTS earthdistance`);
        await queryRunner.query(`DROP EXTENSION IF EXISTS cube`);
    }
}
