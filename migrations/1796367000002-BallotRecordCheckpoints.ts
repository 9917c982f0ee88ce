import { createHash } from 'node:crypto';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The published ballot record without a write to every ballot at closing. The record is still every
 * counted ballot in receipt-hash order, each entry's hash chained to the previous one; what closing stores
 * is one checkpoint every 1,000 entries (the position, that entry's receipt hash and the chain's hash just
 * before it), from which any entry's position and hashes are worked out again by reading at most 1,000
 * ballots. Before, closing wrote `record_position` and `record_hash` on every ballot: 104 s for a round of
 * 1,000,000 ballots (`npm run bench -- results`).
 *
 * Up keeps the records of rounds already closed (their checkpoints come from the columns it drops); down
 * writes the columns again by walking each round's chain from its first entry.
 */
export class BallotRecordCheckpoints1796367000002 implements MigrationInterface {
  name = 'BallotRecordCheckpoints1796367000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "ballot_record_checkpoints" (
                "round_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "receipt_hash" character(64) NOT NULL,
                "previous_hash" character(64) NOT NULL,
                CONSTRAINT "PK_ballot_record_checkpoints" PRIMARY KEY ("round_id", "position"),
                CONSTRAINT "FK_ballot_record_checkpoints_round" FOREIGN KEY ("round_id") REFERENCES "voting_rounds"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_ballot_record_checkpoints_receipt" ON "ballot_record_checkpoints" ("round_id", "receipt_hash")`);
    await queryRunner.query(`
            INSERT INTO "ballot_record_checkpoints" ("round_id", "position", "receipt_hash", "previous_hash")
            SELECT "round_id", "record_position", "receipt_hash", "previous_hash"
              FROM (SELECT "round_id", "record_position", "receipt_hash",
                           coalesce(lag("record_hash") OVER (PARTITION BY "round_id" ORDER BY "record_position"), '${GENESIS}') AS "previous_hash"
                      FROM "ballots" WHERE "record_position" IS NOT NULL) AS "chained"
             WHERE "record_position" % ${CHECKPOINT_EVERY} = 0
        `);
    await queryRunner.query(`DROP INDEX "IDX_ballots_record"`);
    await queryRunner.query(`ALTER TABLE "ballots" DROP COLUMN "record_position"`);
    await queryRunner.query(`ALTER TABLE "ballots" DROP COLUMN "record_hash"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "ballots" ADD "record_position" integer`);
    await queryRunner.query(`ALTER TABLE "ballots" ADD "record_hash" character(64)`);
    await queryRunner.query(`CREATE INDEX "IDX_ballots_record" ON "ballots" ("round_id", "record_position")`);
    const rounds: { round_id: string }[] = await queryRunner.query(`SELECT DISTINCT "round_id" FROM "ballot_record_checkpoints"`);
    for (const { round_id: roundId } of rounds) {
      let previous = GENESIS;
      let position = 0;
      let after = '';
      for (;;) {
        const rows: { id: string; receipt_hash: string; choices: number[] }[] = await queryRunner.query(
          `SELECT "id", "receipt_hash", "choices" FROM "ballots" WHERE "round_id" = $1 AND "receipt_hash" > $2 ORDER BY "receipt_hash" LIMIT 5000`,
          [roundId, after],
        );
        if (!rows.length) break;
        after = rows[rows.length - 1].receipt_hash;
        const hashes = rows.map((row) => (previous = createHash('sha256').update(`${previous}|${row.receipt_hash}|${row.choices.join(',')}`).digest('hex')));
        await queryRunner.query(
          `UPDATE "ballots" b SET "record_position" = v."position", "record_hash" = v."hash" FROM unnest($1::uuid[], $2::int[], $3::text[]) AS v("id", "position", "hash") WHERE b."id" = v."id"`,
          [rows.map((row) => row.id), rows.map(() => position++), hashes],
        );
      }
    }
    await queryRunner.query(`DROP TABLE "ballot_record_checkpoints"`);
  }
}

/** As src/voting/ballot-record.service.ts has them when this was written. */
const GENESIS = '0'.repeat(64);
const CHECKPOINT_EVERY = 1000;
