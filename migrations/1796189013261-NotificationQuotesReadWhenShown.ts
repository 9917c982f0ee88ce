import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Reply and invitation notifications no longer keep a copy of what they quote (the start of a reply, a
 * proposal's title): it is read when shown, so a reply hidden by a moderator does not live on in them.
 * The copies already stored go. Down cannot bring them back, and need not: they are read when shown.
 */
export class NotificationQuotesReadWhenShown1796189013261 implements MigrationInterface {
    name = 'NotificationQuotesReadWhenShown1796189013261'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`UPDATE "notifications" SET "detail" = NULL WHERE "kind" IN ('COMMENT_REPLY', 'COSPONSOR_INVITATION')`);
    }

    public async down(): Promise<void> {}
}
