import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two indexes that keep the reports' reads flat as the table grows (`npm run bench -- reports`, 10,000 to
 * 1,000,000 reports):
 * - a district's reports newest first (the public list's `districtCode` filter, ordered by created_at, id):
 *   without it PostgreSQL walked IDX_reports_created past every other district's reports, or read all of
 *   the district's and sorted them; with a category too, the page grew with the table;
 * - the open reports' places, for the duplicate search (open, same category, last 30 days, within 50 m):
 *   with only the GiST index of every report, PostgreSQL (which cannot estimate how few points a 50 m box
 *   holds) ANDed it with the last 30 days of IDX_reports_created, a scan that grows with the intake
 *   (17 ms at 1,000,000 reports, against under 1 ms with this one).
 */
export class ReportsScaleIndexes1796365000006 implements MigrationInterface {
  name = 'ReportsScaleIndexes1796365000006';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_reports_district_created" ON "reports" ("district_code", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_reports_open_place" ON "reports" USING gist (ll_to_earth("latitude", "longitude")) WHERE "status" IN ('RECEIVED', 'ACCEPTED', 'IN_PROGRESS')`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_reports_open_place"`);
    await queryRunner.query(`DROP INDEX "IDX_reports_district_created"`);
  }
}
