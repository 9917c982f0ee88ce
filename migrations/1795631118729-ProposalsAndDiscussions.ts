import { MigrationInterface, QueryRunner } from "typeorm";

export class ProposalsAndDiscussions1795631118729 implements MigrationInterface {
    name = 'ProposalsAndDiscussions1795631118729'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`
            CREATE TABLE "comments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "subject_type" character varying(20) NOT NULL,
                "subject_id" uuid NOT NULL,
                "district_code" character varying(4) NOT NULL,
                "parent_id" uuid,
                "depth" smallint NOT NULL DEFAULT '0',
                "author_id" uuid NOT NULL,
                "body" character varying(5000),
                "stance" character varying(8) NOT NULL,
                "status" character varying(8) NOT NULL DEFAULT 'VISIBLE',
                "moderation_reason" character varying(1000),
                "reaction_count" integer NOT NULL DEFAULT '0',
                "edited_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_comments_depth" CHECK (
                    "depth" BETWEEN 0 AND 5
                ),
                CONSTRAINT "CHK_comments_status" CHECK ("status" IN ('VISIBLE', 'HIDDEN', 'DELETED')),
                CONSTRAINT "CHK_comments_stance" CHECK ("stance" IN ('FOR', 'AGAINST', 'NEUTRAL')),
                CONSTRAINT "PK_8bf68bc960f2b69e818bdb90dcb" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_comments_author_created" ON "comments" ("author_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_comments_parent" ON "comments" ("parent_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_comments_subject_top" ON "comments" ("subject_id", "parent_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "comment_edits" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "comment_id" uuid NOT NULL,
                "previous_body" character varying(5000) NOT NULL,
                "previous_stance" character varying(8) NOT NULL,
                "edited_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_880623d6a48f949ad7bb15d6a02" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_comment_edits_comment" ON "comment_edits" ("comment_id", "edited_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "comment_reactions" (
                "comment_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "kind" character varying(12) NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_comment_reactions_kind" CHECK ("kind" IN ('LIKE', 'THANKS', 'INSIGHTFUL')),
                CONSTRAINT "PK_a883c2a09d16ce1d0db8b9758d4" PRIMARY KEY ("comment_id", "user_id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "comment_flags" (
                "comment_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "reason" character varying(1000) NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ab696fee4df8aa3350b30b03162" PRIMARY KEY ("comment_id", "user_id")
            )
        `);
        await queryRunner.query(`
            CREATE TABLE "comment_moderations" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "comment_id" uuid NOT NULL,
                "action" character varying(8) NOT NULL,
                "reason" character varying(1000) NOT NULL,
                "moderator_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_comment_moderations_action" CHECK ("action" IN ('HIDE', 'RESTORE')),
                CONSTRAINT "PK_ac792569d0c1e1f796a07c9db9f" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_comment_moderations_comment" ON "comment_moderations" ("comment_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "notifications" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "kind" character varying(30) NOT NULL,
                "actor_id" uuid,
                "proposal_id" uuid,
                "comment_id" uuid,
                "detail" character varying(1000),
                "read_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_notifications_kind" CHECK (
                    "kind" IN (
                        'COMMENT_REPLY',
                        'PROPOSAL_STATUS_CHANGED',
                        'COMMENT_HIDDEN',
                        'COMMENT_RESTORED',
                        'COSPONSOR_INVITATION'
                    )
                ),
                CONSTRAINT "PK_6a72c3c0f683f6462415e653c3a" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_notifications_user_created" ON "notifications" ("user_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "proposals" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "district_code" character varying(4) NOT NULL,
                "author_id" uuid NOT NULL,
                "title" character varying(200) NOT NULL,
                "summary" character varying(1000) NOT NULL,
                "body" text NOT NULL,
                "category" character varying(30) NOT NULL,
                "estimated_budget" numeric(15, 2),
                "location_latitude" double precision,
                "location_longitude" double precision,
                "location_address" character varying(500),
                "status" character varying(12) NOT NULL DEFAULT 'DRAFT',
                "status_before_hidden" character varying(12),
                "hidden_reason" character varying(1000),
                "revision" integer NOT NULL DEFAULT '0',
                "endorsement_count" integer NOT NULL DEFAULT '0',
                "comment_count" integer NOT NULL DEFAULT '0',
                "search_tokens" text array NOT NULL DEFAULT '{}',
                "search_text" text NOT NULL DEFAULT '',
                "published_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_proposals_counts" CHECK (
                    "endorsement_count" >= 0
                    AND "comment_count" >= 0
                ),
                CONSTRAINT "CHK_proposals_budget" CHECK (
                    "estimated_budget" IS NULL
                    OR "estimated_budget" >= 0
                ),
                CONSTRAINT "CHK_proposals_category" CHECK (
                    "category" IN (
                        'INFRASTRUCTURE',
                        'TRANSPORT',
                        'ENVIRONMENT',
                        'FLOODING_AND_DRAINAGE',
                        'SAFETY',
                        'HEALTH',
                        'EDUCATION',
                        'CULTURE',
                        'ECONOMY',
                        'SOCIAL_WELFARE',
                        'OTHER'
                    )
                ),
                CONSTRAINT "CHK_proposals_status" CHECK (
                    "status" IN (
                        'DRAFT',
                        'PUBLISHED',
                        'QUALIFIED',
                        'IN_HEARING',
                        'IN_VOTE',
                        'ADOPTED',
                        'REJECTED',
                        'IN_PROGRESS',
                        'COMPLETED',
                        'WITHDRAWN',
                        'HIDDEN'
                    )
                ),
                CONSTRAINT "PK_db524c8db8e126a38a2f16d8cac" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_proposals_author" ON "proposals" ("author_id")
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_proposals_district_status" ON "proposals" ("district_code", "status")
        `);
        await queryRunner.query(`
            CREATE TABLE "proposal_sponsors" (
                "proposal_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "status" character varying(10) NOT NULL DEFAULT 'INVITED',
                "invited_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "responded_at" TIMESTAMP(3) WITH TIME ZONE,
                CONSTRAINT "CHK_proposal_sponsors_status" CHECK ("status" IN ('INVITED', 'ACCEPTED', 'DECLINED')),
                CONSTRAINT "PK_4f2f4a8499937c80393ddd1ac87" PRIMARY KEY ("proposal_id", "user_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_proposal_sponsors_user" ON "proposal_sponsors" ("user_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "proposal_transitions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "proposal_id" uuid NOT NULL,
                "from_status" character varying(12),
                "to_status" character varying(12) NOT NULL,
                "actor_id" uuid,
                "note" character varying(1000),
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_ee27eee87637efd1509d85be61d" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_proposal_transitions_proposal" ON "proposal_transitions" ("proposal_id", "created_at")
        `);
        await queryRunner.query(`
            CREATE TABLE "proposal_revisions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "proposal_id" uuid NOT NULL,
                "revision" integer NOT NULL,
                "editor_id" uuid NOT NULL,
                "previous_title" character varying(200) NOT NULL,
                "previous_summary" character varying(1000) NOT NULL,
                "previous_body" text NOT NULL,
                "note" character varying(1000),
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_3e31a92a82ca7d5c0d406ec6ab8" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_proposal_revisions_number" ON "proposal_revisions" ("proposal_id", "revision")
        `);
        await queryRunner.query(`
            CREATE TABLE "proposal_endorsements" (
                "proposal_id" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_236125673e8ae51fb60a381b49a" PRIMARY KEY ("proposal_id", "user_id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_proposal_endorsements_user" ON "proposal_endorsements" ("user_id")
        `);
        await queryRunner.query(`
            CREATE TABLE "proposal_progress_updates" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "proposal_id" uuid NOT NULL,
                "author_id" uuid NOT NULL,
                "text" character varying(5000) NOT NULL,
                "percent" integer NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "CHK_proposal_progress_percent" CHECK (
                    "percent" BETWEEN 0 AND 100
                ),
                CONSTRAINT "PK_920382344d215d10a36b93430f2" PRIMARY KEY ("id")
            )
        `);
        await queryRunner.query(`
            CREATE INDEX "IDX_proposal_progress_proposal" ON "proposal_progress_updates" ("proposal_id", "created_at")
        `);
        await queryRunner.query(`
            ALTER TABLE "districts"
            ADD "endorsement_threshold" integer NOT NULL DEFAULT '10'
        `);
        await queryRunner.query(`
            ALTER TABLE "districts"
            ADD CONSTRAINT "CHK_districts_endorsement_threshold" CHECK (
                    "endorsement_threshold" BETWEEN 1 AND 100000
                )
        `);
        await queryRunner.query(`
            ALTER TABLE "comments"
            ADD CONSTRAINT "FK_d6f93329801a93536da4241e386" FOREIGN KEY ("parent_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "comments"
            ADD CONSTRAINT "FK_e6d38899c31997c45d128a8973b" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_edits"
            ADD CONSTRAINT "FK_5f4ca90310019c6c6602f07a362" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_reactions"
            ADD CONSTRAINT "FK_dc714054fc62b698018fcb0ae37" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_reactions"
            ADD CONSTRAINT "FK_481c40600b2ee590adb27abb0e6" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_flags"
            ADD CONSTRAINT "FK_4902c7e19d3593232f22b9efd00" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_flags"
            ADD CONSTRAINT "FK_7e907c793aa61c85ed1fd5df55b" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_moderations"
            ADD CONSTRAINT "FK_35634ebd4ff12e87b65507d9f8a" FOREIGN KEY ("comment_id") REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD CONSTRAINT "FK_9a8a82462cab47c73d25f49261f" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "proposals"
            ADD CONSTRAINT "FK_264ab70e6902bcb42912a6b4b31" FOREIGN KEY ("district_code") REFERENCES "districts"("code") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "proposals"
            ADD CONSTRAINT "FK_8af17413dd39a475692dec170d0" FOREIGN KEY ("author_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_sponsors"
            ADD CONSTRAINT "FK_1a84dbb9c0360ff913931dddc38" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_sponsors"
            ADD CONSTRAINT "FK_5a2f0c435b6fe0b9888907169ad" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_transitions"
            ADD CONSTRAINT "FK_72fdff4849d09f861cf4b7ddaeb" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_revisions"
            ADD CONSTRAINT "FK_e0d17b6a127ea39a4950e825acc" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_endorsements"
            ADD CONSTRAINT "FK_cb399e81743815444cb652154d7" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_endorsements"
            ADD CONSTRAINT "FK_afeb05cc70c758cb047a8d5ff16" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_progress_updates"
            ADD CONSTRAINT "FK_089c34ab5d1542ae3972ea18307" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
        // Word search over proposals (see ProposalEntity.searchTokens); not describable in TypeORM metadata.
        await queryRunner.query(`CREATE INDEX "IDX_proposals_search_tokens" ON "proposals" USING GIN ("search_tokens")`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_proposals_search_tokens"`);
        await queryRunner.query(`
            ALTER TABLE "proposal_progress_updates" DROP CONSTRAINT "FK_089c34ab5d1542ae3972ea18307"
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_endorsements" DROP CONSTRAINT "FK_afeb05cc70c758cb047a8d5ff16"
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_endorsements" DROP CONSTRAINT "FK_cb399e81743815444cb652154d7"
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_revisions" DROP CONSTRAINT "FK_e0d17b6a127ea39a4950e825acc"
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_transitions" DROP CONSTRAINT "FK_72fdff4849d09f861cf4b7ddaeb"
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_sponsors" DROP CONSTRAINT "FK_5a2f0c435b6fe0b9888907169ad"
        `);
        await queryRunner.query(`
            ALTER TABLE "proposal_sponsors" DROP CONSTRAINT "FK_1a84dbb9c0360ff913931dddc38"
        `);
        await queryRunner.query(`
            ALTER TABLE "proposals" DROP CONSTRAINT "FK_8af17413dd39a475692dec170d0"
        `);
        await queryRunner.query(`
            ALTER TABLE "proposals" DROP CONSTRAINT "FK_264ab70e6902bcb42912a6b4b31"
        `);
        await queryRunner.query(`
            ALTER TABLE "notifications" DROP CONSTRAINT "FK_9a8a82462cab47c73d25f49261f"
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_moderations" DROP CONSTRAINT "FK_35634ebd4ff12e87b65507d9f8a"
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_flags" DROP CONSTRAINT "FK_7e907c793aa61c85ed1fd5df55b"
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_flags" DROP CONSTRAINT "FK_4902c7e19d3593232f22b9efd00"
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_reactions" DROP CONSTRAINT "FK_481c40600b2ee590adb27abb0e6"
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_reactions" DROP CONSTRAINT "FK_dc714054fc62b698018fcb0ae37"
        `);
        await queryRunner.query(`
            ALTER TABLE "comment_edits" DROP CONSTRAINT "FK_5f4ca90310019c6c6602f07a362"
        `);
        await queryRunner.query(`
            ALTER TABLE "comments" DROP CONSTRAINT "FK_e6d38899c31997c45d128a8973b"
        `);
        await queryRunner.query(`
            ALTER TABLE "comments" DROP CONSTRAINT "FK_d6f93329801a93536da4241e386"
        `);
        await queryRunner.query(`
            ALTER TABLE "districts" DROP CONSTRAINT "CHK_districts_endorsement_threshold"
        `);
        await queryRunner.query(`
            ALTER TABLE "districts" DROP COLUMN "endorsement_threshold"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_proposal_progress_proposal"
        `);
        await queryRunner.query(`
            DROP TABLE "proposal_progress_updates"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_proposal_endorsements_user"
        `);
        await queryRunner.query(`
            DROP TABLE "proposal_endorsements"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."UQ_proposal_revisions_number"
        `);
        await queryRunner.query(`
            DROP TABLE "proposal_revisions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_proposal_transitions_proposal"
        `);
        await queryRunner.query(`
            DROP TABLE "proposal_transitions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_proposal_sponsors_user"
        `);
        await queryRunner.query(`
            DROP TABLE "proposal_sponsors"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_proposals_district_status"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_proposals_author"
        `);
        await queryRunner.query(`
            DROP TABLE "proposals"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_notifications_user_created"
        `);
        await queryRunner.query(`
            DROP TABLE "notifications"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_comment_moderations_comment"
        `);
        await queryRunner.query(`
            DROP TABLE "comment_moderations"
        `);
        await queryRunner.query(`
            DROP TABLE "comment_flags"
        `);
        await queryRunner.query(`
            DROP TABLE "comment_reactions"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_comment_edits_comment"
        `);
        await queryRunner.query(`
            DROP TABLE "comment_edits"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_comments_subject_top"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_comments_parent"
        `);
        await queryRunner.query(`
            DROP INDEX "public"."IDX_comments_author_created"
        `);
        await queryRunner.query(`
            DROP TABLE "comments"
        `);
    }

}
