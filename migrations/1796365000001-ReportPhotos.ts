import { MigrationInterface, QueryRunner } from 'typeorm';

/** The photos a report was submitted with, in their order (at most three; PhotosService.claim attaches them). */
export class ReportPhotos1796365000001 implements MigrationInterface {
  name = 'ReportPhotos1796365000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_photos" (
                "report_id" uuid NOT NULL,
                "photo_id" uuid NOT NULL,
                "position" integer NOT NULL,
                CONSTRAINT "PK_report_photos" PRIMARY KEY ("report_id", "position"),
                CONSTRAINT "UQ_report_photos_photo" UNIQUE ("photo_id"),
                CONSTRAINT "CHK_report_photos_position" CHECK ("position" BETWEEN 0 AND 2),
                CONSTRAINT "FK_report_photos_report" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE,
                CONSTRAINT "FK_report_photos_photo" FOREIGN KEY ("photo_id") REFERENCES "photos"("id") ON DELETE CASCADE
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "report_photos"`);
  }
}
