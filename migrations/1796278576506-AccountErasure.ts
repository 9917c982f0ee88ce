import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Erased accounts stay as tombstones (their id is referenced by published proposals, minutes, ballots
 * and the audit chain): when it was erased, and the random pseudonym that stands in for it from then on.
 */
export class AccountErasure1796278576506 implements MigrationInterface {
    name = 'AccountErasure1796278576506'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "users"
            ADD "deleted_at" TIMESTAMP(3) WITH TIME ZONE
        `);
        await queryRunner.query(`
            ALTER TABLE "users"
            ADD "pseudonym" uuid
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_users_pseudonym" ON "users" ("pseudonym")
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            DROP INDEX "public"."UQ_users_pseudonym"
        `);
        await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "pseudonym"
        `);
        await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "deleted_at"
        `);
    }
}
