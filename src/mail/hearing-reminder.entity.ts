import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { UserEntity } from '../accounts/entities/user.entity';
import { HearingEntity } from '../hearings/entities/hearing.entity';

/** A hearing reminder that was sent (or claimed for sending): one per person and hearing, ever. */
@Entity({ name: 'hearing_reminders' })
export class HearingReminderEntity {
  @PrimaryColumn({ name: 'hearing_id', type: 'uuid' })
  hearingId: string;

  @ManyToOne(() => HearingEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'hearing_id' })
  hearing?: HearingEntity;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: UserEntity;

  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3 })
  sentAt: Date;
}
