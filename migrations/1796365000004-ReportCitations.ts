import { MigrationInterface, QueryRunner } from 'typeorm';

const KIND = 'CITING_PROPOSAL_CHANGED';

/**
 * The kinds the notifications CHECK allows now, read from the database: other migrations of the same
 * release add kinds too, and this one must keep theirs whichever order they were written in.
 */
async function allowedKinds(queryRunner: QueryRunner): Promise<string[]> {
  const [{ def }] = (await queryRunner.query(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'CHK_notifications_kind'`)) as { def: string }[];
  return [...def.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]);
}

async function allowKinds(queryRunner: QueryRunner, kinds: string[]): Promise<void> {
  await queryRunner.query(`ALTER TABLE "notifications" DROP CONSTRAINT "CHK_notifications_kind"`);
  await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "CHK_notifications_kind" CHECK ("kind" IN (${kinds.map((k) => `'${k}'`).join(', ')}))`);
}

/** Proposals cite reports; the reporters and supporters of cited reports hear when the plan is published, adopted, completed. */
export class ReportCitations1796365000004 implements MigrationInterface {
  name = 'ReportCitations1796365000004';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "proposal_report_citations" (
                "proposal_id" uuid NOT NULL,
                "report_id" uuid NOT NULL,
                "position" integer NOT NULL,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_proposal_report_citations" PRIMARY KEY ("proposal_id", "report_id"),
                CONSTRAINT "UQ_proposal_report_citations_position" UNIQUE ("proposal_id", "position"),
                CONSTRAINT "FK_proposal_report_citations_proposal" FOREIGN KEY ("proposal_id") REFERENCES "proposals"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
                CONSTRAINT "FK_proposal_report_citations_report" FOREIGN KEY ("report_id") REFERENCES "reports"("id") ON DELETE CASCADE ON UPDATE NO ACTION
            )
        `);
    await queryRunner.query(`CREATE INDEX "IDX_proposal_report_citations_report" ON "proposal_report_citations" ("report_id")`);
    const kinds = await allowedKinds(queryRunner);
    if (!kinds.includes(KIND)) await allowKinds(queryRunner, [...kinds, KIND]);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "notifications" WHERE "kind" = '${KIND}'`);
    await allowKinds(queryRunner, (await allowedKinds(queryRunner)).filter((k) => k !== KIND));
    await queryRunner.query(`DROP TABLE "proposal_report_citations"`);
  }
}
