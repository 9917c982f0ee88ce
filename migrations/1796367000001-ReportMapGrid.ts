import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The map grid kept up to date per cell: how many reports of each district and status lie in each cell of
 * the grids of zoom levels 11 and 14, with the sums of their latitudes and longitudes (for the cell's
 * centre). A zoomed-out `reportMap` reads these rows instead of counting every report it covers, which at
 * 1,000,000 reports took a second for the city (`npm run bench -- reports`).
 *
 * Cell (row, col) of level L spans latitudes [row·s, (row+1)·s) and longitudes [col·s, (col+1)·s), with
 * s = 360 / 2^(L+3) degrees (src/reports/report-map.service.ts, `cellSize`). The sizes are powers of two,
 * so the divisions are exact and a cell of a coarser zoom z is the union of the cells whose row and column,
 * shifted right by L − z bits, are its own.
 *
 * Triggers keep it: one per statement, over the statement's transition tables, so that a single report
 * and a bulk load cost one upsert per touched cell. Rows are upserted in key order, so that two
 * transactions touching the same cells lock them in the same order. A cell that empties keeps its row with
 * a count of 0 (it is not deleted, so an insert and a delete never race over it).
 */
export class ReportMapGrid1796367000001 implements MigrationInterface {
  name = 'ReportMapGrid1796367000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_map_cells" (
                "level" smallint NOT NULL,
                "row" integer NOT NULL,
                "col" integer NOT NULL,
                "district_code" character varying(4) NOT NULL,
                "status" character varying(12) NOT NULL,
                "reports" integer NOT NULL,
                "latitude_sum" double precision NOT NULL,
                "longitude_sum" double precision NOT NULL,
                CONSTRAINT "PK_report_map_cells" PRIMARY KEY ("level", "row", "col", "district_code", "status")
            )
        `);
    for (const [event, apply] of Object.entries(APPLY)) {
      await queryRunner.query(`CREATE FUNCTION "report_map_cells_${event.toLowerCase()}"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${apply}; RETURN NULL; END $$`);
      const referencing = { INSERT: 'NEW TABLE AS "new_rows"', UPDATE: 'OLD TABLE AS "old_rows" NEW TABLE AS "new_rows"', DELETE: 'OLD TABLE AS "old_rows"' }[event];
      await queryRunner.query(
        `CREATE TRIGGER "TRG_reports_map_cells_${event.toLowerCase()}" AFTER ${event} ON "reports" REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION "report_map_cells_${event.toLowerCase()}"()`,
      );
    }
    // The reports already there.
    await queryRunner.query(upsert(`SELECT "latitude", "longitude", "district_code", "status", 1 AS "sign" FROM "reports"`));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of Object.keys(APPLY)) {
      await queryRunner.query(`DROP TRIGGER "TRG_reports_map_cells_${event.toLowerCase()}" ON "reports"`);
      await queryRunner.query(`DROP FUNCTION "report_map_cells_${event.toLowerCase()}"()`);
    }
    await queryRunner.query(`DROP TABLE "report_map_cells"`);
  }
}

/** The levels kept (as `GRID_LEVELS` of src/reports/report-map.service.ts, which reads the coarsest one at least as fine as the zoom asked). */
const MAP_GRID_LEVELS = [11, 14] as const;

/**
 * Adds the signed changes (`latitude`, `longitude`, `district_code`, `status`, `sign` of ±1) to every
 * kept level's cells. A group whose changes cancel out (an update that moved nothing the grid keeps) writes
 * nothing.
 */
function upsert(changes: string): string {
  return `
    INSERT INTO "report_map_cells" AS "c" ("level", "row", "col", "district_code", "status", "reports", "latitude_sum", "longitude_sum")
    SELECT l."level", floor(ch."latitude" / l."size")::int, floor(ch."longitude" / l."size")::int, ch."district_code", ch."status",
           sum(ch."sign"), sum(ch."sign" * ch."latitude"), sum(ch."sign" * ch."longitude")
      FROM (${changes}) AS ch
     CROSS JOIN (SELECT "level", 360::float8 / power(2::float8, "level" + 3) AS "size" FROM unnest(ARRAY[${MAP_GRID_LEVELS.join(', ')}]::smallint[]) AS "level") AS l
     GROUP BY 1, 2, 3, 4, 5
    HAVING sum(ch."sign") <> 0 OR sum(ch."sign" * ch."latitude") <> 0 OR sum(ch."sign" * ch."longitude") <> 0
     ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT ("level", "row", "col", "district_code", "status") DO UPDATE
       SET "reports" = "c"."reports" + excluded."reports",
           "latitude_sum" = "c"."latitude_sum" + excluded."latitude_sum",
           "longitude_sum" = "c"."longitude_sum" + excluded."longitude_sum"`;
}

const NEW_ROWS = `SELECT "latitude", "longitude", "district_code", "status", 1 AS "sign" FROM "new_rows"`;
const OLD_ROWS = `SELECT "latitude", "longitude", "district_code", "status", -1 AS "sign" FROM "old_rows"`;

const APPLY = {
  INSERT: upsert(NEW_ROWS),
  // Each updated report whose place, district or status changed leaves its old cell and enters its new one;
  // the others write nothing (summing +x and -x over many reports in float need not give 0).
  UPDATE: upsert(`
    SELECT ch.* FROM "new_rows" n JOIN "old_rows" o ON o."id" = n."id"
     CROSS JOIN LATERAL (VALUES (n."latitude", n."longitude", n."district_code", n."status", 1), (o."latitude", o."longitude", o."district_code", o."status", -1))
           AS ch("latitude", "longitude", "district_code", "status", "sign")
     WHERE (n."latitude", n."longitude", n."district_code", n."status") IS DISTINCT FROM (o."latitude", o."longitude", o."district_code", o."status")`),
  DELETE: upsert(OLD_ROWS),
};
