import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A district's proposals, newest first (`proposals(filter: { districtCode }, orderBy: NEWEST)`, the district's
 * page), read from the index in list order and stopped after the page, instead of sorting every proposal of
 * the district for each page (measured by `npm run bench -- reading` at 1,000 and 100,000 proposals).
 */
export class ProposalsNewestIndex1796367100001 implements MigrationInterface {
  name = 'ProposalsNewestIndex1796367100001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_proposals_district_newest" ON "proposals" ("district_code", (COALESCE("published_at", "created_at")) DESC, "id" DESC)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_proposals_district_newest"`);
  }
}
