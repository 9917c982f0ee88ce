import { AnnouncementEntity, AnnouncementVersionEntity } from '../announcements/announcement.entity';
import { DistrictFollowEntity } from '../following/district-follow.entity';
import { DistrictNewsEntity } from '../following/district-news.entity';
import { Open311KeyEntity } from '../open311/open311-key.entity';
import { DistrictElectorateEntity } from '../accounts/entities/district-electorate.entity';
import { HostAppointmentEntity } from '../accounts/entities/host-appointment.entity';
import { AuditEntryEntity } from '../audit/audit-entry.entity';
import { PasswordResetTokenEntity } from '../accounts/entities/password-reset-token.entity';
import { RefreshTokenEntity } from '../accounts/entities/refresh-token.entity';
import { ResidencyEntity } from '../accounts/entities/residency.entity';
import { UserEntity } from '../accounts/entities/user.entity';
import { CommentEditEntity, CommentEntity, CommentFlagEntity, CommentModerationEntity, CommentReactionEntity } from '../discussions/entities/comment.entity';
import { DistrictEntity } from '../districts/district.entity';
import {
  AdjournmentEntity,
  AgendaItemEntity,
  HearingEntity,
  QuestionEntity,
  QuestionUpvoteEntity,
  RegistrationEntity,
  SpeakerRequestEntity,
  StatementEntity,
} from '../hearings/entities/hearing.entity';
import { HearingReminderEntity } from '../mail/hearing-reminder.entity';
import { NotificationEntity } from '../notifications/notification.entity';
import { PhotoBlobEntity, PhotoEntity } from '../photos/photo.entity';
import { DataExportEntity } from '../privacy/entities/data-export.entity';
import { TermsAcceptanceEntity, TermsVersionEntity } from '../privacy/entities/terms.entity';
import { BallotEntity, LiveTallyEntity, ParticipationEntity, ReplacedReceiptEntity, TallyShardEntity, VotingOptionEntity, VotingRoundEntity } from '../voting/entities/voting.entity';
import { ProposalEntity } from '../proposals/entities/proposal.entity';
import { ReportCitationEntity } from '../reports/citations/report-citation.entity';
import { ReportCategoryEntity, ReportEntity, ReportPhotoEntity, ReportDistrictTargetEntity, ReportBreachEntity, ReportSupportEntity, ReportTransitionEntity, ReportTransitionPhotoEntity } from '../reports/entities/report.entity';
import {
  ProposalEndorsementEntity,
  ProposalProgressEntity,
  ProposalRevisionEntity,
  ProposalSponsorEntity,
  ProposalTransitionEntity,
} from '../proposals/entities/proposal-records.entity';
import { QUESTIONNAIRE_ENTITIES } from '../questionnaires/entities/questionnaire.entity';
import { QUESTIONNAIRE_RESULTS_ENTITIES } from '../questionnaires/results/entities/results.entity';

/** Every entity the server maps; the migrations in migrations/ must create exactly these. */
export const ENTITIES = [
  DistrictEntity,
  UserEntity,
  RefreshTokenEntity,
  PasswordResetTokenEntity,
  HearingReminderEntity,
  HostAppointmentEntity,
  ResidencyEntity,
  DistrictElectorateEntity,
  NotificationEntity,
  ProposalEntity,
  ProposalSponsorEntity,
  ProposalTransitionEntity,
  ProposalRevisionEntity,
  ProposalEndorsementEntity,
  ProposalProgressEntity,
  CommentEntity,
  CommentEditEntity,
  CommentReactionEntity,
  CommentFlagEntity,
  CommentModerationEntity,
  HearingEntity,
  AgendaItemEntity,
  AdjournmentEntity,
  RegistrationEntity,
  SpeakerRequestEntity,
  StatementEntity,
  QuestionEntity,
  QuestionUpvoteEntity,
  VotingRoundEntity,
  VotingOptionEntity,
  ParticipationEntity,
  BallotEntity,
  ReplacedReceiptEntity,
  TallyShardEntity,
  LiveTallyEntity,
  AuditEntryEntity,
  TermsVersionEntity,
  TermsAcceptanceEntity,
  DataExportEntity,
  ReportCategoryEntity,
  ReportEntity,
  ReportTransitionEntity,
  ReportSupportEntity,
  ReportPhotoEntity,
  ReportDistrictTargetEntity,
  ReportBreachEntity,
  ReportTransitionPhotoEntity,
  PhotoEntity,
  PhotoBlobEntity,
  Open311KeyEntity,
  ReportCitationEntity,
  AnnouncementEntity,
  AnnouncementVersionEntity,
  DistrictFollowEntity,
  DistrictNewsEntity,
  ...QUESTIONNAIRE_ENTITIES,
  ...QUESTIONNAIRE_RESULTS_ENTITIES,
];
