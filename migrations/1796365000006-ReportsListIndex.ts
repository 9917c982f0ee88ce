import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A district's reports newest first (the public list's `districtCode` filter, ordered by created_at, id)
 * straight from an index: without it PostgreSQL either walks IDX_reports_created past every other
 * district's reports, or reads all of the district's and sorts them; with a category too, that grew with
 * the table (`npm run bench -- reports`).
 */
export class ReportsListIndex1796365000006 implements MigrationInterface {
  name = 'ReportsListIndex1796365000006';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_reports_district_created" ON "reports" ("district_code", "created_at", "id")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_reports_district_created"`);
  }
}
