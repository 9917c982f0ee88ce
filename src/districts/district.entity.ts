import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** One of Bangkok's 50 districts (เขต), keyed by its official code. Inserted by a migration. */
@Entity({ name: 'districts' })
@Check('CHK_districts_endorsement_threshold', `"endorsement_threshold" BETWEEN 1 AND 100000`)
export class DistrictEntity {
  @PrimaryColumn({ type: 'varchar', length: 4 })
  code: string;

  @Column({ name: 'name_th', type: 'varchar', length: 100 })
  nameTh: string;

  @Column({ name: 'name_en', type: 'varchar', length: 100 })
  nameEn: string;

  /** Endorsements a published proposal needs to become QUALIFIED; set by the district's hosts. */
  @Column({ name: 'endorsement_threshold', type: 'int', default: 10 })
  endorsementThreshold: number;
}
