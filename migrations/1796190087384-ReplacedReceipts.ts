import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Retries are replays: the receipts that revotes replaced (no voter, slot or time), and whether each
 * ballot replaced an earlier one, so a late retry is answered as the first time and changes nothing.
 */
export class ReplacedReceipts1796190087384 implements MigrationInterface {
    name = 'ReplacedReceipts1796190087384'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "replaced_receipts" (
                "round_id" uuid NOT NULL,
                "receipt_hash" character(64) NOT NULL,
                "replaced" boolean NOT NULL,
                CONSTRAINT "PK_69e70c6acda4f5e1ad01bd1334b" PRIMARY KEY ("round_id", "receipt_hash")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "ballots"
            ADD "replaced" boolean NOT NULL DEFAULT false
        `);
        await queryRunner.query(`
            ALTER TABLE "replaced_receipts"
            ADD CONSTRAINT "FK_a6667b41ceb02d1eeae68340174" FOREIGN KEY ("round_id") REFERENCES "voting_rounds"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "replaced_receipts" DROP CONSTRAINT "FK_a6667b41ceb02d1eeae68340174"
        `);
        await queryRunner.query(`
            ALTER TABLE "ballots" DROP COLUMN "replaced"
        `);
        await queryRunner.query(`
            DROP TABLE "replaced_receipts"
        `);
    }
}
