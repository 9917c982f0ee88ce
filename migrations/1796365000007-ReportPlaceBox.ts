import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A plain btree on (latitude, longitude) for the bounding-box reads of residents' reports (the `within`
 * filter, the map grid, the open-data box). The GiST index on ll_to_earth answers a box too, but the planner
 * estimates every `cube @>` as the same few rows, so a city-wide box took the GiST path and sorted all
 * reports (measured on 100,000 rows: 35 ms on PostgreSQL, 260 ms on PGlite, where this index lets the
 * planner read the newest 20 through IDX_reports_created in under a millisecond; a street-sized box uses
 * this index on both). The GiST index stays for distances (similar reports within 50 m).
 */
export class ReportPlaceBox1796365000007 implements MigrationInterface {
  name = 'ReportPlaceBox1796365000007';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_reports_lat_lng" ON "reports" ("latitude", "longitude")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_reports_lat_lng"`);
  }
}
