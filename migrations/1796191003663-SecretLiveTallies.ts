import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Secret LIVE rounds publish their tallies in batches: the batch size of each round (20 for the
 * rounds that exist), the one published snapshot per round, and a count of ballot events (shard
 * position -2) started from the ballots already counted.
 */
export class SecretLiveTallies1796191003663 implements MigrationInterface {
    name = 'SecretLiveTallies1796191003663'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "live_tallies" (
                "round_id" uuid NOT NULL,
                "events" integer NOT NULL,
                "turnout" integer NOT NULL,
                "votes" integer array NOT NULL,
                CONSTRAINT "PK_0e48aa9b0f6d35cb9e57c30d36d" PRIMARY KEY ("round_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_rounds"
            ADD "live_batch_size" integer
        `);
        await queryRunner.query(`
            UPDATE "voting_rounds" SET "live_batch_size" = 20 WHERE "secret" AND "results_visibility" = 'LIVE'
        `);
        await queryRunner.query(`
            INSERT INTO "tally_shards" ("round_id", "position", "shard", "count")
            SELECT "round_id", -2, "shard", "count" FROM "tally_shards" WHERE "position" = -1
        `);
        await queryRunner.query(`
            ALTER TABLE "live_tallies"
            ADD CONSTRAINT "FK_0e48aa9b0f6d35cb9e57c30d36d" FOREIGN KEY ("round_id") REFERENCES "voting_rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DELETE FROM "tally_shards" WHERE "position" = -2
        `);
        await queryRunner.query(`
            ALTER TABLE "live_tallies" DROP CONSTRAINT "FK_0e48aa9b0f6d35cb9e57c30d36d"
        `);
        await queryRunner.query(`
            ALTER TABLE "voting_rounds" DROP COLUMN "live_batch_size"
        `);
        await queryRunner.query(`
            DROP TABLE "live_tallies"
        `);
    }
}
