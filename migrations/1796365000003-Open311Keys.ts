import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Keys of the client applications that file reports through Open311 (only their hash is stored), and on
 * each report filed that way, the key it came through.
 */
export class Open311Keys1796365000003 implements MigrationInterface {
  name = 'Open311Keys1796365000003';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "open311_keys" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "name" character varying(100) NOT NULL,
                "contact" character varying(200) NOT NULL,
                "key_hash" character varying(64) NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "revoked_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "UQ_open311_keys_hash" UNIQUE ("key_hash"),
                CONSTRAINT "PK_open311_keys" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`ALTER TABLE "reports" ADD "open311_key_id" uuid`);
    await queryRunner.query(`ALTER TABLE "reports" ADD CONSTRAINT "FK_reports_open311_key" FOREIGN KEY ("open311_key_id") REFERENCES "open311_keys"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reports" DROP CONSTRAINT "FK_reports_open311_key"`);
    await queryRunner.query(`ALTER TABLE "reports" DROP COLUMN "open311_key_id"`);
    await queryRunner.query(`DROP TABLE "open311_keys"`);
  }
}
