import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { DistrictEntity } from '../../districts/district.entity';
import { UserEntity } from './user.entity';

/** A district host: staff of a district office, appointed by a city administrator. */
@Entity({ name: 'host_appointments' })
@Index('UQ_host_appointments_user_district', ['userId', 'districtCode'], { unique: true })
@Index('IDX_host_appointments_district', ['districtCode'])
export class HostAppointmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code' })
  district?: DistrictEntity;

  @Column({ name: 'appointed_by', type: 'uuid', nullable: true })
  appointedBy: string | null;

  @CreateDateColumn({ name: 'appointed_at', type: 'timestamptz', precision: 3 })
  appointedAt: Date;
}
