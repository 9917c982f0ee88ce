import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Questionnaires (consultations) of a district. The tables, for whoever computes results in SQL:
 * - questionnaires: title and introduction (th, optional en), status DRAFT/OPEN/CLOSED, audience, NAMED or
 *   ANONYMOUS, an optional proposal or hearing, opens_at/closes_at for the clock, opened_at/closed_at.
 * - questionnaire_sections: headings in order (position).
 * - questionnaire_questions: position orders all of a questionnaire's questions; type, required, min/max
 *   value (NUMBER range, SCALE ends), min/max choices (MULTIPLE_CHOICE), scale end labels (th/en), and the
 *   show-when condition: an earlier question plus the option it must have chosen or the number it must equal.
 * - questionnaire_options: the options of choice and ranking questions, labels th/en.
 * - questionnaire_participations: who responded (one row per account), nothing that points at a response.
 * - questionnaire_responses: one per respondent (unique slot, a keyed hash of questionnaire and account);
 *   respondent_id and times only in NAMED questionnaires. Count responses here (or participations).
 * - questionnaire_replaced_receipts: receipt hashes of replaced answers, so a late retry is a replay.
 * - questionnaire_answers: one row per chosen option (with rank for RANKING), or a number (SCALE, NUMBER),
 *   or a text (SHORT_TEXT, LONG_TEXT); hidden/hidden_reason/hidden_by/hidden_at for moderating texts.
 *   Anonymous answers carry no time and random ids: list them by id or value, never by insertion order.
 */
export class Questionnaires1796366000003 implements MigrationInterface {
    name = 'Questionnaires1796366000003'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "questionnaires" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "district_code" character varying(4) NOT NULL,
                "title_th" character varying(200) NOT NULL,
                "title_en" character varying(200),
                "introduction_th" character varying(5000) NOT NULL DEFAULT '',
                "introduction_en" character varying(5000),
                "status" character varying(8) NOT NULL DEFAULT 'DRAFT',
                "audience" character varying(20) NOT NULL,
                "anonymity" character varying(10) NOT NULL,
                "proposal_id" uuid,
                "hearing_id" uuid,
                "opens_at" TIMESTAMP(3) WITH TIME ZONE,
                "closes_at" TIMESTAMP(3) WITH TIME ZONE,
                "opened_at" TIMESTAMP(3) WITH TIME ZONE,
                "closed_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_by" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_questionnaires_times" CHECK (
                    "opens_at" IS NULL
                    OR "closes_at" IS NULL
                    OR "closes_at" > "opens_at"
                ),
                CONSTRAINT "CHK_questionnaires_anonymity" CHECK ("anonymity" IN ('NAMED', 'ANONYMOUS')),
                CONSTRAINT "CHK_questionnaires_audience" CHECK (
                    "audience" IN ('SIGNED_IN', 'FOLLOWERS', 'VERIFIED_RESIDENTS')
                ),
                CONSTRAINT "CHK_questionnaires_status" CHECK ("status" IN ('DRAFT', 'OPEN', 'CLOSED')),
                CONSTRAINT "PK_questionnaires" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questionnaires_closes" ON "questionnaires" ("status", "closes_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questionnaires_opens" ON "questionnaires" ("status", "opens_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questionnaires_district" ON "questionnaires" ("district_code", "created_at", "id")
        `);
        await queryRunner.query(`
            CREATE TABLE "questionnaire_sections" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "questionnaire_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "title_th" character varying(200) NOT NULL,
                "title_en" character varying(200),
                "description_th" character varying(2000) NOT NULL DEFAULT '',
                "description_en" character varying(2000),
                CONSTRAINT "PK_questionnaire_sections" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_questionnaire_sections_position" ON "questionnaire_sections" ("questionnaire_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "questionnaire_questions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "questionnaire_id" uuid NOT NULL,
                "section_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "type" character varying(16) NOT NULL,
                "required" boolean NOT NULL DEFAULT false,
                "prompt_th" character varying(1000) NOT NULL,
                "prompt_en" character varying(1000),
                "min_value" numeric(15, 4),
                "max_value" numeric(15, 4),
                "min_choices" integer,
                "max_choices" integer,
                "scale_min_label_th" character varying(100),
                "scale_min_label_en" character varying(100),
                "scale_max_label_th" character varying(100),
                "scale_max_label_en" character varying(100),
                "show_when_question_id" uuid,
                "show_when_option_id" uuid,
                "show_when_number" numeric(15, 4),
                CONSTRAINT "CHK_questionnaire_questions_show_when" CHECK (
                    ("show_when_question_id" IS NULL) = (
                        "show_when_option_id" IS NULL
                        AND "show_when_number" IS NULL
                    )
                ),
                CONSTRAINT "CHK_questionnaire_questions_type" CHECK (
                    "type" IN (
                        'SINGLE_CHOICE',
                        'MULTIPLE_CHOICE',
                        'SCALE',
                        'RANKING',
                        'NUMBER',
                        'SHORT_TEXT',
                        'LONG_TEXT'
                    )
                ),
                CONSTRAINT "PK_questionnaire_questions" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questionnaire_questions_section" ON "questionnaire_questions" ("section_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_questionnaire_questions_position" ON "questionnaire_questions" ("questionnaire_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "questionnaire_options" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "question_id" uuid NOT NULL,
                "questionnaire_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "label_th" character varying(300) NOT NULL,
                "label_en" character varying(300),
                CONSTRAINT "PK_questionnaire_options" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questionnaire_options_questionnaire" ON "questionnaire_options" ("questionnaire_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_questionnaire_options_position" ON "questionnaire_options" ("question_id", "position")
        `);
        await queryRunner.query(`
            CREATE TABLE "questionnaire_participations" (
                "questionnaire_id" uuid NOT NULL,
                "account_id" uuid NOT NULL,
                CONSTRAINT "PK_questionnaire_participations" PRIMARY KEY ("questionnaire_id", "account_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questionnaire_participations_account" ON "questionnaire_participations" ("account_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "questionnaire_responses" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "questionnaire_id" uuid NOT NULL,
                "slot" character(64) NOT NULL,
                "receipt_hash" character(64) NOT NULL,
                "replaced" boolean NOT NULL DEFAULT false,
                "respondent_id" uuid,
                "submitted_at" TIMESTAMP(3) WITH TIME ZONE,
                "changed_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "PK_questionnaire_responses" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_questionnaire_responses_respondent" ON "questionnaire_responses" ("questionnaire_id", "respondent_id")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_questionnaire_responses_receipt" ON "questionnaire_responses" ("questionnaire_id", "receipt_hash")
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_questionnaire_responses_slot" ON "questionnaire_responses" ("questionnaire_id", "slot")
        `);
        await queryRunner.query(`
            CREATE TABLE "questionnaire_replaced_receipts" (
                "questionnaire_id" uuid NOT NULL,
                "receipt_hash" character(64) NOT NULL,
                "replaced" boolean NOT NULL,
                CONSTRAINT "PK_questionnaire_replaced_receipts" PRIMARY KEY ("questionnaire_id", "receipt_hash")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "questionnaire_answers" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "response_id" uuid NOT NULL,
                "questionnaire_id" uuid NOT NULL,
                "question_id" uuid NOT NULL,
                "option_id" uuid,
                "rank" smallint,
                "number_value" numeric(15, 4),
                "text_value" character varying(5000),
                "hidden" boolean NOT NULL DEFAULT false,
                "hidden_reason" character varying(1000),
                "hidden_by" uuid,
                "hidden_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "CHK_questionnaire_answers_value" CHECK (
                    (
                        ("option_id" IS NOT NULL)::int + ("number_value" IS NOT NULL)::int + ("text_value" IS NOT NULL)::int
                    ) = 1
                    AND (
                        "rank" IS NULL
                        OR "option_id" IS NOT NULL
                    )
                ),
                CONSTRAINT "PK_questionnaire_answers" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questionnaire_answers_questionnaire" ON "questionnaire_answers" ("questionnaire_id", "question_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questionnaire_answers_question" ON "questionnaire_answers" ("question_id", "option_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_questionnaire_answers_response" ON "questionnaire_answers" ("response_id")
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaires"
            ADD CONSTRAINT "FK_questionnaires_district" FOREIGN KEY ("district_code") REFERENCES "districts"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaires"
            ADD CONSTRAINT "FK_questionnaires_proposal" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaires"
            ADD CONSTRAINT "FK_questionnaires_hearing" FOREIGN KEY ("hearing_id") REFERENCES "hearings"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaires"
            ADD CONSTRAINT "FK_questionnaires_created_by" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_sections"
            ADD CONSTRAINT "FK_questionnaire_sections_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_questions"
            ADD CONSTRAINT "FK_questionnaire_questions_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_questions"
            ADD CONSTRAINT "FK_questionnaire_questions_section" FOREIGN KEY ("section_id") REFERENCES "questionnaire_sections"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_questions"
            ADD CONSTRAINT "FK_questionnaire_questions_show_when_question" FOREIGN KEY ("show_when_question_id") REFERENCES "questionnaire_questions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_questions"
            ADD CONSTRAINT "FK_questionnaire_questions_show_when_option" FOREIGN KEY ("show_when_option_id") REFERENCES "questionnaire_options"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_options"
            ADD CONSTRAINT "FK_questionnaire_options_question" FOREIGN KEY ("question_id") REFERENCES "questionnaire_questions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_options"
            ADD CONSTRAINT "FK_questionnaire_options_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_participations"
            ADD CONSTRAINT "FK_questionnaire_participations_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_participations"
            ADD CONSTRAINT "FK_questionnaire_participations_account" FOREIGN KEY ("account_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_responses"
            ADD CONSTRAINT "FK_questionnaire_responses_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_responses"
            ADD CONSTRAINT "FK_questionnaire_responses_respondent" FOREIGN KEY ("respondent_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_replaced_receipts"
            ADD CONSTRAINT "FK_questionnaire_replaced_receipts_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers"
            ADD CONSTRAINT "FK_questionnaire_answers_response" FOREIGN KEY ("response_id") REFERENCES "questionnaire_responses"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers"
            ADD CONSTRAINT "FK_questionnaire_answers_questionnaire" FOREIGN KEY ("questionnaire_id") REFERENCES "questionnaires"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers"
            ADD CONSTRAINT "FK_questionnaire_answers_question" FOREIGN KEY ("question_id") REFERENCES "questionnaire_questions"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers"
            ADD CONSTRAINT "FK_questionnaire_answers_option" FOREIGN KEY ("option_id") REFERENCES "questionnaire_options"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers"
            ADD CONSTRAINT "FK_questionnaire_answers_hidden_by" FOREIGN KEY ("hidden_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers" DROP CONSTRAINT "FK_questionnaire_answers_hidden_by"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers" DROP CONSTRAINT "FK_questionnaire_answers_option"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers" DROP CONSTRAINT "FK_questionnaire_answers_question"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers" DROP CONSTRAINT "FK_questionnaire_answers_questionnaire"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_answers" DROP CONSTRAINT "FK_questionnaire_answers_response"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_replaced_receipts" DROP CONSTRAINT "FK_questionnaire_replaced_receipts_questionnaire"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_responses" DROP CONSTRAINT "FK_questionnaire_responses_respondent"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_responses" DROP CONSTRAINT "FK_questionnaire_responses_questionnaire"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_participations" DROP CONSTRAINT "FK_questionnaire_participations_account"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_participations" DROP CONSTRAINT "FK_questionnaire_participations_questionnaire"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_options" DROP CONSTRAINT "FK_questionnaire_options_questionnaire"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_options" DROP CONSTRAINT "FK_questionnaire_options_question"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_questions" DROP CONSTRAINT "FK_questionnaire_questions_show_when_option"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_questions" DROP CONSTRAINT "FK_questionnaire_questions_show_when_question"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_questions" DROP CONSTRAINT "FK_questionnaire_questions_section"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_questions" DROP CONSTRAINT "FK_questionnaire_questions_questionnaire"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaire_sections" DROP CONSTRAINT "FK_questionnaire_sections_questionnaire"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaires" DROP CONSTRAINT "FK_questionnaires_created_by"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaires" DROP CONSTRAINT "FK_questionnaires_hearing"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaires" DROP CONSTRAINT "FK_questionnaires_proposal"
        `);
        await queryRunner.query(`
            ALTER TABLE "questionnaires" DROP CONSTRAINT "FK_questionnaires_district"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questionnaire_answers_response"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questionnaire_answers_question"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questionnaire_answers_questionnaire"
        `);
        await queryRunner.query(`
            DROP TABLE "questionnaire_answers"
        `);
        await queryRunner.query(`
            DROP TABLE "questionnaire_replaced_receipts"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_questionnaire_responses_slot"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_questionnaire_responses_receipt"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_questionnaire_responses_respondent"
        `);
        await queryRunner.query(`
            DROP TABLE "questionnaire_responses"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questionnaire_participations_account"
        `);
        await queryRunner.query(`
            DROP TABLE "questionnaire_participations"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_questionnaire_options_position"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questionnaire_options_questionnaire"
        `);
        await queryRunner.query(`
            DROP TABLE "questionnaire_options"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_questionnaire_questions_position"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questionnaire_questions_section"
        `);
        await queryRunner.query(`
            DROP TABLE "questionnaire_questions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_questionnaire_sections_position"
        `);
        await queryRunner.query(`
            DROP TABLE "questionnaire_sections"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questionnaires_district"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questionnaires_opens"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_questionnaires_closes"
        `);
        await queryRunner.query(`
            DROP TABLE "questionnaires"
        `);
    }

}
