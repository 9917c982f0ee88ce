import { MigrationInterface, QueryRunner } from 'typeorm';

/** The city's service-level targets per category, in hours: [code, time to accept, time to resolve]. */
const CITY_TARGETS: [code: string, accept: number, resolve: number][] = [
  ['ROADS', 24, 168],
  ['FOOTPATHS', 24, 168],
  ['FLOODING_AND_DRAINAGE', 6, 48],
  ['STREET_LIGHTS', 24, 72],
  ['WASTE', 12, 48],
  ['TREES', 24, 168],
  ['NOISE', 24, 72],
  ['SAFETY', 6, 72],
  ['TRAFFIC', 12, 72],
  ['STRAY_ANIMALS', 24, 168],
  ['PUBLIC_HEALTH', 12, 72],
  ['OTHER', 48, 336],
];

/**
 * Deadlines of residents' reports. Each category carries the city's targets (hours to accept, hours to
 * resolve); a district may tighten them for itself (report_district_targets). A report keeps the deadlines
 * it was given when its district received it (`received_at`: submission, or a forward from another
 * district), and `due_at`, the next one it can miss while open (null once closed). The clock job sets
 * `overdue_since` and records each missed deadline once in report_breaches, which statistics count.
 */
export class ReportDeadlines1796365000002 implements MigrationInterface {
  name = 'ReportDeadlines1796365000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "report_categories" ADD "accept_within_hours" integer NOT NULL DEFAULT 24`);
    await queryRunner.query(`ALTER TABLE "report_categories" ADD "resolve_within_hours" integer NOT NULL DEFAULT 168`);
    await queryRunner.query(`ALTER TABLE "report_categories" ADD CONSTRAINT "CHK_report_categories_targets" CHECK ("accept_within_hours" BETWEEN 1 AND 8760 AND "resolve_within_hours" BETWEEN "accept_within_hours" AND 8760)`);
    for (const [code, accept, resolve] of CITY_TARGETS) {
      await queryRunner.query(`UPDATE "report_categories" SET "accept_within_hours" = $2, "resolve_within_hours" = $3 WHERE "code" = $1`, [code, accept, resolve]);
    }
    await queryRunner.query(`
            CREATE TABLE "report_district_targets" (
                "district_code" character varying(4) NOT NULL,
                "category_code" character varying(40) NOT NULL,
                "accept_within_hours" integer NOT NULL,
                "resolve_within_hours" integer NOT NULL,
                "set_by_id" uuid,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_report_district_targets" PRIMARY KEY ("district_code", "category_code"),
                CONSTRAINT "CHK_report_district_targets_hours" CHECK ("accept_within_hours" BETWEEN 1 AND 8760 AND "resolve_within_hours" BETWEEN "accept_within_hours" AND 8760),
                CONSTRAINT "FK_report_district_targets_district" FOREIGN KEY ("district_code") REFERENCES "districts"("code"),
                CONSTRAINT "FK_report_district_targets_category" FOREIGN KEY ("category_code") REFERENCES "report_categories"("code"),
                CONSTRAINT "FK_report_district_targets_set_by" FOREIGN KEY ("set_by_id") REFERENCES "users"("id") ON DELETE SET NULL
            )
        `);
    await queryRunner.query(`ALTER TABLE "reports" ADD "received_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "reports" ADD "accepted_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "reports" ADD "accept_due_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "reports" ADD "resolve_due_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "reports" ADD "due_at" TIMESTAMP(3) WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "reports" ADD "overdue_since" TIMESTAMP(3) WITH TIME ZONE`);
    // Reports filed before deadlines existed get the city's targets from their submission.
    await queryRunner.query(`
            UPDATE "reports" r SET
                "received_at" = r."created_at",
                "accept_due_at" = r."created_at" + make_interval(hours => c."accept_within_hours"),
                "resolve_due_at" = r."created_at" + make_interval(hours => c."resolve_within_hours"),
                "accepted_at" = CASE WHEN r."status" IN ('ACCEPTED', 'IN_PROGRESS', 'RESOLVED') THEN r."updated_at" END
            FROM "report_categories" c WHERE c."code" = r."category_code"
        `);
    await queryRunner.query(`UPDATE "reports" SET "due_at" = CASE "status" WHEN 'RECEIVED' THEN "accept_due_at" WHEN 'ACCEPTED' THEN "resolve_due_at" WHEN 'IN_PROGRESS' THEN "resolve_due_at" END`);
    await queryRunner.query(`ALTER TABLE "reports" ALTER COLUMN "received_at" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "reports" ALTER COLUMN "accept_due_at" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "reports" ALTER COLUMN "resolve_due_at" SET NOT NULL`);
    // The staff's queue: a district's open reports by their next deadline.
    await queryRunner.query(`CREATE INDEX "IDX_reports_queue" ON "reports" ("district_code", "due_at", "id") WHERE "due_at" IS NOT NULL`);
    // The clock job: open reports whose next deadline has not been marked missed yet.
    await queryRunner.query(`CREATE INDEX "IDX_reports_due" ON "reports" ("due_at") WHERE "due_at" IS NOT NULL AND "overdue_since" IS NULL`);
    await queryRunner.query(`
            CREATE TABLE "report_breaches" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "report_id" uuid NOT NULL,
                "kind" character varying(8) NOT NULL,
                "district_code" character varying(4) NOT NULL,
                "category_code" character varying(40) NOT NULL,
                "due_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "breached_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_report_breaches" PRIMARY KEY ("id"),
                CONSTRAINT "UQ_report_breaches_deadline" UNIQUE ("report_id", "kind", "due_at"),
                CONSTRAINT "CHK_report_breaches_kind" CHECK ("kind" IN ('ACCEPT', 'RESOLVE')),
                CONSTRAINT "FK_report_breaches_report" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`CREATE INDEX "IDX_report_breaches_district" ON "report_breaches" ("district_code", "due_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "report_breaches"`);
    await queryRunner.query(`DROP INDEX "IDX_reports_due"`);
    await queryRunner.query(`DROP INDEX "IDX_reports_queue"`);
    for (const column of ['overdue_since', 'due_at', 'resolve_due_at', 'accept_due_at', 'accepted_at', 'received_at']) {
      await queryRunner.query(`ALTER TABLE "reports" DROP COLUMN "${column}"`);
    }
    await queryRunner.query(`DROP TABLE "report_district_targets"`);
    await queryRunner.query(`ALTER TABLE "report_categories" DROP CONSTRAINT "CHK_report_categories_targets"`);
    await queryRunner.query(`ALTER TABLE "report_categories" DROP COLUMN "resolve_within_hours"`);
    await queryRunner.query(`ALTER TABLE "report_categories" DROP COLUMN "accept_within_hours"`);
  }
}
