import { MigrationInterface, QueryRunner } from "typeorm";

/** How many options a round elects: 1 for the rounds that exist (they elected their top option); none for budget rounds. */
export class RoundSeats1796190628478 implements MigrationInterface {
    name = 'RoundSeats1796190628478'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "voting_rounds"
            ADD "seats" integer
        `);
        await queryRunner.query(`
            UPDATE "voting_rounds" SET "seats" = 1 WHERE "method" <> 'BUDGET'
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "voting_rounds" DROP COLUMN "seats"
        `);
    }
}
