import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Questionnaire results: whether a questionnaire shows its results live to everyone, the running count of
 * response events, the cached (for anonymous questionnaires: batched) results, and the text answers a
 * published batch has shown.
 */
export class QuestionnaireResults1796366000004 implements MigrationInterface {
  name = 'QuestionnaireResults1796366000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "questionnaires" ADD "results_live" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
            CREATE TABLE "questionnaire_result_events" (
                "questionnaire_id" uuid NOT NULL,
                "shard" smallint NOT NULL,
                "count" bigint NOT NULL DEFAULT '0',
                CONSTRAINT "PK_questionnaire_result_events" PRIMARY KEY ("questionnaire_id", "shard"),
                CONSTRAINT "FK_questionnaire_result_events_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "questionnaire_results_cache" (
                "questionnaire_id" uuid NOT NULL,
                "events" integer NOT NULL,
                "final" boolean NOT NULL,
                "tally" jsonb NOT NULL,
                CONSTRAINT "PK_questionnaire_results_cache" PRIMARY KEY ("questionnaire_id"),
                CONSTRAINT "FK_questionnaire_results_cache_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "questionnaire_published_answers" (
                "answer_id" uuid NOT NULL,
                "questionnaire_id" uuid NOT NULL,
                CONSTRAINT "PK_questionnaire_published_answers" PRIMARY KEY ("answer_id"),
                CONSTRAINT "FK_questionnaire_published_answers_answer" FOREIGN KEY ("answer_id") REFERENCES "questionnaire_answers"("id") ON DELETE CASCADE,
                CONSTRAINT "FK_questionnaire_published_answers_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE
            )
        `);
    await queryRunner.query(`CREATE INDEX "IDX_questionnaire_published_answers_questionnaire" ON "questionnaire_published_answers" ("questionnaire_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_questionnaire_answers_texts" ON "questionnaire_answers" ("question_id", "id") WHERE "text_value" IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_questionnaire_answers_texts"`);
    await queryRunner.query(`DROP TABLE "questionnaire_published_answers"`);
    await queryRunner.query(`DROP TABLE "questionnaire_results_cache"`);
    await queryRunner.query(`DROP TABLE "questionnaire_result_events"`);
    await queryRunner.query(`ALTER TABLE "questionnaires" DROP COLUMN "results_live"`);
  }
}
