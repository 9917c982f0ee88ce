import { MigrationInterface, QueryRunner } from "typeorm";

export class Foundation1795629241164 implements MigrationInterface {
    name = 'Foundation1795629241164'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "districts" (
                "code" character varying(4) NOT NULL,
                "name_th" character varying(100) NOT NULL,
                "name_en" character varying(100) NOT NULL,
                CONSTRAINT "PK_8e9d73424149b43b38244f75528" PRIMARY KEY ("code")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" character varying(254) NOT NULL,
                "password_hash" text NOT NULL,
                "display_name" character varying(100) NOT NULL,
                "kind" character varying(12) NOT NULL,
                "locale" character varying(2) NOT NULL DEFAULT 'th',
                "is_admin" boolean NOT NULL DEFAULT false,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "UQ_97672ac88f789774dd47f7c8be3" UNIQUE ("email"),
                CONSTRAINT "CHK_users_locale" CHECK ("locale" IN ('th', 'en')),
                CONSTRAINT "CHK_users_kind" CHECK ("kind" IN ('PERSON', 'ORGANIZATION')),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "host_appointments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "district_code" character varying(4) NOT NULL,
                "appointed_by" uuid,
                "appointed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_f8380fbed38d8cd2e3eb933a030" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_host_appointments_district" ON "host_appointments" ("district_code")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_host_appointments_user_district" ON "host_appointments" ("user_id", "district_code")
        `);
        await queryRunner.query(`
            CREATE TABLE "refresh_tokens" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "family_id" uuid NOT NULL,
                "token_hash" character(64) NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "expires_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "used_at" TIMESTAMP(3) WITH TIME ZONE,
                "revoked_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "UQ_a7838d2ba25be1342091b6695f1" UNIQUE ("token_hash"),
                CONSTRAINT "PK_7d8bee0204106019488c4c50ffa" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_refresh_tokens_user" ON "refresh_tokens" ("user_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_refresh_tokens_family" ON "refresh_tokens" ("family_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "residencies" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "district_code" character varying(4) NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'PENDING',
                "request_note" character varying(1000),
                "review_note" character varying(1000),
                "reviewed_by" uuid,
                "reviewed_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_residencies_status" CHECK (
                    "status" IN ('PENDING', 'APPROVED', 'REJECTED', 'SUPERSEDED')
                ),
                CONSTRAINT "PK_e05929dc64d0fab12d752f8f092" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_residencies_district_status" ON "residencies" ("district_code", "status", "created_at")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_residencies_one_approved" ON "residencies" ("user_id")
            WHERE "status" = 'APPROVED'
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_residencies_one_pending" ON "residencies" ("user_id")
            WHERE "status" = 'PENDING'
        `);
        await queryRunner.query(`
            ALTER TABLE "host_appointments"
            ADD CONSTRAINT "FK_ac5feed78ef24bd381abdeb28f7" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "host_appointments"
            ADD CONSTRAINT "FK_7b3462d31e90d2e9abafabb1966" FOREIGN KEY ("district_code") REFERENCES "districts"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "refresh_tokens"
            ADD CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "residencies"
            ADD CONSTRAINT "FK_f59766628fdf737664d85820a9c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "residencies"
            ADD CONSTRAINT "FK_b421aaa4987c83889363db8130d" FOREIGN KEY ("district_code") REFERENCES "districts"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "residencies" DROP CONSTRAINT "FK_b421aaa4987c83889363db8130d"
        `);
        await queryRunner.query(`
            ALTER TABLE "residencies" DROP CONSTRAINT "FK_f59766628fdf737664d85820a9c"
        `);
        await queryRunner.query(`
            ALTER TABLE "refresh_tokens" DROP CONSTRAINT "FK_3ddc983c5f7bcf132fd8732c3f4"
        `);
        await queryRunner.query(`
            ALTER TABLE "host_appointments" DROP CONSTRAINT "FK_7b3462d31e90d2e9abafabb1966"
        `);
        await queryRunner.query(`
            ALTER TABLE "host_appointments" DROP CONSTRAINT "FK_ac5feed78ef24bd381abdeb28f7"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_residencies_one_pending"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_residencies_one_approved"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_residencies_district_status"
        `);
        await queryRunner.query(`
            DROP TABLE "residencies"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_refresh_tokens_family"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_refresh_tokens_user"
        `);
        await queryRunner.query(`
            DROP TABLE "refresh_tokens"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_host_appointments_user_district"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_host_appointments_district"
        `);
        await queryRunner.query(`
            DROP TABLE "host_appointments"
        `);
        await queryRunner.query(`
            DROP TABLE "users"
        `);
        await queryRunner.query(`
            DROP TABLE "districts"
        `);
    }

}
