import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Account self-service: one-time password reset tokens (hashed), the reminders of hearings already
 * sent (one per person and hearing, across restarts and instances), and each account's email preferences.
 */
export class AccountSelfService1796278618750 implements MigrationInterface {
    name = 'AccountSelfService1796278618750'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "password_reset_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "token_hash" character(64) NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "UQ_91185d86d5d7557b19abbb2868b" UNIQUE ("token_hash"),
                CONSTRAINT "PK_d16bebd73e844c48bca50ff8d3d" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_password_reset_tokens_expires" ON "password_reset_tokens" ("expires_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_password_reset_tokens_user" ON "password_reset_tokens" ("user_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "hearing_reminders" (
                "hearing_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "sent_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_84146c00e6234327950f4ef55a9" PRIMARY KEY ("hearing_id", "user_id")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "users"
            ADD "email_residency_decisions" boolean NOT NULL DEFAULT true
        `);
        await queryRunner.query(`
            ALTER TABLE "users"
            ADD "email_hearing_reminders" boolean NOT NULL DEFAULT true
        `);
        await queryRunner.query(`
            ALTER TABLE "password_reset_tokens"
            ADD CONSTRAINT "FK_52ac39dd8a28730c63aeb428c9c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_reminders"
            ADD CONSTRAINT "FK_cbd082c4728b71b46b9ef0d3e94" FOREIGN KEY ("hearing_id") REFERENCES "hearings"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_reminders"
            ADD CONSTRAINT "FK_e169a9c930068cbbf1edecc7cb9" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "hearing_reminders" DROP CONSTRAINT "FK_e169a9c930068cbbf1edecc7cb9"
        `);
        await queryRunner.query(`
            ALTER TABLE "hearing_reminders" DROP CONSTRAINT "FK_cbd082c4728b71b46b9ef0d3e94"
        `);
        await queryRunner.query(`
            ALTER TABLE "password_reset_tokens" DROP CONSTRAINT "FK_52ac39dd8a28730c63aeb428c9c"
        `);
        await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "email_hearing_reminders"
        `);
        await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "email_residency_decisions"
        `);
        await queryRunner.query(`
            DROP TABLE "hearing_reminders"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_password_reset_tokens_user"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_password_reset_tokens_expires"
        `);
        await queryRunner.query(`
            DROP TABLE "password_reset_tokens"
        `);
    }

}
