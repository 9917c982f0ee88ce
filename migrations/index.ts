import { Foundation1795629241164 } from './1795629241164-Foundation';
import { BangkokDistricts1795629241165 } from './1795629241165-BangkokDistricts';
import { ProposalsAndDiscussions1795631118729 } from './1795631118729-ProposalsAndDiscussions';
import { Hearings1795632231715 } from './1795632231715-Hearings';
import { Voting1795633316509 } from './1795633316509-Voting';
import { AuditTrail1795635840404 } from './1795635840404-AuditTrail';
import { DistrictElectorates1795650075684 } from './1795650075684-DistrictElectorates';
import { NotificationQuotesReadWhenShown1796189013261 } from './1796189013261-NotificationQuotesReadWhenShown';
import { HearingRecord1796189620191 } from './1796189620191-HearingRecord';
import { ReplacedReceipts1796190087384 } from './1796190087384-ReplacedReceipts';
import { RoundSeats1796190628478 } from './1796190628478-RoundSeats';
import { SecretLiveTallies1796191003663 } from './1796191003663-SecretLiveTallies';
import { AccountErasure1796278576506 } from './1796278576506-AccountErasure';
import { Privacy1796278602630 } from './1796278602630-Privacy';
import { AccountSelfService1796278618750 } from './1796278618750-AccountSelfService';
import { StructuredNotifications1796278627962 } from './1796278627962-StructuredNotifications';
import { Photos1796282974198 } from './1796282974198-Photos';
import { ResidentReports1796365000000 } from './1796365000000-ResidentReports';
import { ReportPhotos1796365000001 } from './1796365000001-ReportPhotos';
import { ReportDeadlines1796365000002 } from './1796365000002-ReportDeadlines';
import { Open311Keys1796365000003 } from './1796365000003-Open311Keys';
import { ReportCitations1796365000004 } from './1796365000004-ReportCitations';
import { ReportTransitionPhotos1796365000005 } from './1796365000005-ReportTransitionPhotos';
import { ReportsScaleIndexes1796365000006 } from './1796365000006-ReportsScaleIndexes';
import { ReportPlaceBox1796365000007 } from './1796365000007-ReportPlaceBox';
import { ReportReadIndexes1796365000008 } from './1796365000008-ReportReadIndexes';
import { Announcements1796366000001 } from './1796366000001-Announcements';
import { DistrictFollowing1796366000002 } from './1796366000002-DistrictFollowing';
import { Questionnaires1796366000003 } from './1796366000003-Questionnaires';
import { QuestionnaireResults1796366000004 } from './1796366000004-QuestionnaireResults';
import { ReportMapGrid1796367000001 } from './1796367000001-ReportMapGrid';
import { BallotRecordCheckpoints1796367000002 } from './1796367000002-BallotRecordCheckpoints';
import { ProposalsNewestIndex1796367100001 } from './1796367100001-ProposalsNewestIndex';

/** Every migration, in order. A new migration is added here as well as written beside this file. */
export const MIGRATIONS: Function[] = [
  Foundation1795629241164,
  BangkokDistricts1795629241165,
  ProposalsAndDiscussions1795631118729,
  Hearings1795632231715,
  Voting1795633316509,
  AuditTrail1795635840404,
  DistrictElectorates1795650075684,
  NotificationQuotesReadWhenShown1796189013261,
  HearingRecord1796189620191,
  ReplacedReceipts1796190087384,
  RoundSeats1796190628478,
  SecretLiveTallies1796191003663,
  AccountErasure1796278576506,
  Privacy1796278602630,
  AccountSelfService1796278618750,
  StructuredNotifications1796278627962,
  Photos1796282974198,
  ResidentReports1796365000000,
  ReportPhotos1796365000001,
  ReportDeadlines1796365000002,
  Open311Keys1796365000003,
  ReportCitations1796365000004,
  ReportTransitionPhotos1796365000005,
  ReportsScaleIndexes1796365000006,
  ReportPlaceBox1796365000007,
  ReportReadIndexes1796365000008,
  Announcements1796366000001,
  DistrictFollowing1796366000002,
  Questionnaires1796366000003,
  QuestionnaireResults1796366000004,
  ReportMapGrid1796367000001,
  BallotRecordCheckpoints1796367000002,
  ProposalsNewestIndex1796367100001,
];
