import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One of Bangkok's 50 districts (เขต), keyed by its official code. Inserted by a migration. */
@Entity({ name: 'districts' })
export class DistrictEntity {
  @PrimaryColumn({ type: 'varchar', length: 4 })
  code: string;

  @Column({ name: 'name_th', type: 'varchar', length: 100 })
  nameTh: string;

  @Column({ name: 'name_en', type: 'varchar', length: 100 })
  nameEn: string;
}
