import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the reads that count many reports (measured by `npm run bench -- reports`):
 * - IDX_reports_district_received: a district's statistics for a period read only the index (the columns
 *   they compute from are included), not one heap page per report: at 1,000,000 reports the year of one
 *   district took 200 ms through IDX_reports_district_status and the heap.
 * - IDX_reports_open_lat_lng: the map grid of the open reports (the map a resident opens on) reads only
 *   the open reports' places, from the index; the GiST index of open places answers distances, not boxes.
 * - IDX_report_breaches_district_breached: the deadlines a district missed in a period, by when.
 */
export class ReportReadIndexes1796365000008 implements MigrationInterface {
  name = 'ReportReadIndexes1796365000008';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_reports_district_received" ON "reports" ("district_code", "received_at") INCLUDE ("status", "category_code", "accepted_at", "resolved_at", "resolve_due_at", "rating")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_reports_open_lat_lng" ON "reports" ("latitude", "longitude") INCLUDE ("id") WHERE "status" IN ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS')`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_report_breaches_district_breached" ON "report_breaches" ("district_code", "breached_at") INCLUDE ("kind")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_report_breaches_district_breached"`);
    await queryRunner.query(`DROP INDEX "IDX_reports_open_lat_lng"`);
    await queryRunner.query(`DROP INDEX "IDX_reports_district_received"`);
  }
}
