import { MigrationInterface, QueryRunner } from 'typeorm';

/** "After" photos: up to three on a step of a report's life (a resolution, mostly), in their order (PhotosService.claim attaches them). */
export class ReportTransitionPhotos1796365000005 implements MigrationInterface {
  name = 'ReportTransitionPhotos1796365000005';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "report_transition_photos" (
                "transition_id" uuid NOT NULL,
                "photo_id" uuid NOT NULL,
                "position" integer NOT NULL,
                CONSTRAINT "PK_report_transition_photos" PRIMARY KEY ("transition_id", "position"),
                CONSTRAINT "UQ_report_transition_photos_photo" UNIQUE ("photo_id"),
                CONSTRAINT "CHK_report_transition_photos_position" CHECK ("position" BETWEEN 0 AND 2),
                CONSTRAINT "FK_report_transition_photos_transition" FOREIGN KEY ("transition_id") REFERENCES "report_transitions"("id") ON DELETE CASCADE,
                CONSTRAINT "FK_report_transition_photos_photo" FOREIGN KEY ("photo_id") REFERENCES "photos"("id") ON DELETE CASCADE
            )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "report_transition_photos"`);
  }
}
