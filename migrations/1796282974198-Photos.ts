import { MigrationInterface, QueryRunner } from "typeorm";

/**
 * Uploaded photos (src/photos): what is known of each (its uploader, sizes, when a mutation attached
 * it), and the bytes of the stored files in `photo_blobs`, the default PhotoStorage.
 */
export class Photos1796282974198 implements MigrationInterface {
    name = 'Photos1796282974198'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "photos" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "owner_id" uuid NOT NULL,
                "content_type" character varying(30) NOT NULL,
                "width" integer NOT NULL,
                "height" integer NOT NULL,
                "byte_size" integer NOT NULL,
                "thumbnail_width" integer NOT NULL,
                "thumbnail_height" integer NOT NULL,
                "uploaded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "attached_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "PK_5220c45b8e32d49d767b9b3d725" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_photos_owner" ON "photos" ("owner_id", "uploaded_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_photos_uploaded" ON "photos" ("uploaded_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "photo_blobs" (
                "key" character varying(200) NOT NULL,
                "content_type" character varying(30) NOT NULL,
                "bytes" bytea NOT NULL,
                "stored_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_a380d5d52a795d4d0fd4d158f39" PRIMARY KEY ("key")
            )
        `);
        await queryRunner.query(`
            ALTER TABLE "photos"
            ADD CONSTRAINT "FK_edb2bca1755984d877112420345" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "photos" DROP CONSTRAINT "FK_edb2bca1755984d877112420345"
        `);
        await queryRunner.query(`
            DROP TABLE "photo_blobs"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_photos_uploaded"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_photos_owner"
        `);
        await queryRunner.query(`
            DROP TABLE "photos"
        `);
    }

}
