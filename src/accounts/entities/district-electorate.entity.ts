import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * How many verified residents (approved residencies) each district has: its eligible voters.
 * Triggers on `residencies` keep it exact in the same transaction as every change, whatever writes
 * the rows, so live figures and closing read one row instead of counting up to a million residents.
 * Only persons are ever approved as residents (ResidencyService refuses organisations).
 */
@Entity({ name: 'district_electorates' })
export class DistrictElectorateEntity {
  @PrimaryColumn({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @Column({ name: 'eligible_voters', type: 'integer', default: 0 })
  eligibleVoters: number;
}
