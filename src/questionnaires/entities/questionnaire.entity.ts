import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn, Relation, UpdateDateColumn } from 'typeorm';
import { UserEntity } from '../../accounts/entities/user.entity';
import { sqlValues } from '../../database/check-values';
import { DistrictEntity } from '../../districts/district.entity';
import { HearingEntity } from '../../hearings/entities/hearing.entity';
import { ProposalEntity } from '../../proposals/entities/proposal.entity';

export enum QuestionnaireStatus {
  DRAFT = 'DRAFT',
  OPEN = 'OPEN',
  CLOSED = 'CLOSED',
}

/** Who may respond. */
export enum QuestionnaireAudience {
  SIGNED_IN = 'SIGNED_IN',
  /** People following the district. */
  FOLLOWERS = 'FOLLOWERS',
  VERIFIED_RESIDENTS = 'VERIFIED_RESIDENTS',
}

export enum QuestionnaireAnonymity {
  /** Each response names its respondent. */
  NAMED = 'NAMED',
  /** Responses are kept apart from who responded, as secret ballots are. */
  ANONYMOUS = 'ANONYMOUS',
}

export enum QuestionType {
  SINGLE_CHOICE = 'SINGLE_CHOICE',
  MULTIPLE_CHOICE = 'MULTIPLE_CHOICE',
  SCALE = 'SCALE',
  RANKING = 'RANKING',
  NUMBER = 'NUMBER',
  SHORT_TEXT = 'SHORT_TEXT',
  LONG_TEXT = 'LONG_TEXT',
}

/** A district's questionnaire (แบบสอบถาม): a consultation of its people, optionally about a proposal or a hearing. */
@Entity({ name: 'questionnaires' })
@Check('CHK_questionnaires_status', `"status" IN (${sqlValues(Object.values(QuestionnaireStatus))})`)
@Check('CHK_questionnaires_audience', `"audience" IN (${sqlValues(Object.values(QuestionnaireAudience))})`)
@Check('CHK_questionnaires_anonymity', `"anonymity" IN (${sqlValues(Object.values(QuestionnaireAnonymity))})`)
@Check('CHK_questionnaires_times', `"opens_at" IS NULL OR "closes_at" IS NULL OR "closes_at" > "opens_at"`)
@Index('IDX_questionnaires_district', ['districtCode', 'createdAt', 'id'])
@Index('IDX_questionnaires_opens', ['status', 'opensAt'])
@Index('IDX_questionnaires_closes', ['status', 'closesAt'])
export class QuestionnaireEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_questionnaires' })
  id: string;

  @Column({ name: 'district_code', type: 'varchar', length: 4 })
  districtCode: string;

  @ManyToOne(() => DistrictEntity)
  @JoinColumn({ name: 'district_code', foreignKeyConstraintName: 'FK_questionnaires_district' })
  district?: DistrictEntity;

  @Column({ name: 'title_th', type: 'varchar', length: 200 })
  titleTh: string;

  @Column({ name: 'title_en', type: 'varchar', length: 200, nullable: true })
  titleEn: string | null;

  @Column({ name: 'introduction_th', type: 'varchar', length: 5000, default: '' })
  introductionTh: string;

  @Column({ name: 'introduction_en', type: 'varchar', length: 5000, nullable: true })
  introductionEn: string | null;

  @Column({ type: 'varchar', length: 8, default: QuestionnaireStatus.DRAFT })
  status: QuestionnaireStatus;

  @Column({ type: 'varchar', length: 20 })
  audience: QuestionnaireAudience;

  @Column({ type: 'varchar', length: 10 })
  anonymity: QuestionnaireAnonymity;

  @Column({ name: 'proposal_id', type: 'uuid', nullable: true })
  proposalId: string | null;

  @ManyToOne(() => ProposalEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'proposal_id', foreignKeyConstraintName: 'FK_questionnaires_proposal' })
  proposal?: ProposalEntity;

  @Column({ name: 'hearing_id', type: 'uuid', nullable: true })
  hearingId: string | null;

  @ManyToOne(() => HearingEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'hearing_id', foreignKeyConstraintName: 'FK_questionnaires_hearing' })
  hearing?: HearingEntity;

  /** When the clock opens it, if staff have not opened it by hand before. */
  @Column({ name: 'opens_at', type: 'timestamptz', precision: 3, nullable: true })
  opensAt: Date | null;

  /** When the clock closes it, if staff have not closed it by hand before. */
  @Column({ name: 'closes_at', type: 'timestamptz', precision: 3, nullable: true })
  closesAt: Date | null;

  @Column({ name: 'opened_at', type: 'timestamptz', precision: 3, nullable: true })
  openedAt: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', precision: 3, nullable: true })
  closedAt: Date | null;

  /** Results shown to everyone while open (an anonymous questionnaire's in batches); otherwise after closing. Its staff always see them (src/questionnaires/results). */
  @Column({ name: 'results_live', type: 'boolean', default: false })
  resultsLive: boolean;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_questionnaires_created_by' })
  creator?: UserEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/** A section of a questionnaire: a heading over its questions. */
@Entity({ name: 'questionnaire_sections' })
@Index('UQ_questionnaire_sections_position', ['questionnaireId', 'position'], { unique: true })
export class QuestionnaireSectionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_questionnaire_sections' })
  id: string;

  @Column({ name: 'questionnaire_id', type: 'uuid' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_sections_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @Column({ type: 'int' })
  position: number;

  @Column({ name: 'title_th', type: 'varchar', length: 200 })
  titleTh: string;

  @Column({ name: 'title_en', type: 'varchar', length: 200, nullable: true })
  titleEn: string | null;

  @Column({ name: 'description_th', type: 'varchar', length: 2000, default: '' })
  descriptionTh: string;

  @Column({ name: 'description_en', type: 'varchar', length: 2000, nullable: true })
  descriptionEn: string | null;
}

/**
 * A question. `position` orders the questionnaire's questions as a whole (sections follow each other),
 * so a show-when condition always looks back to a question of a lower position.
 */
@Entity({ name: 'questionnaire_questions' })
@Check('CHK_questionnaire_questions_type', `"type" IN (${sqlValues(Object.values(QuestionType))})`)
@Check('CHK_questionnaire_questions_show_when', `("show_when_question_id" IS NULL) = ("show_when_option_id" IS NULL AND "show_when_number" IS NULL)`)
@Index('UQ_questionnaire_questions_position', ['questionnaireId', 'position'], { unique: true })
@Index('IDX_questionnaire_questions_section', ['sectionId'])
export class QuestionnaireQuestionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_questionnaire_questions' })
  id: string;

  @Column({ name: 'questionnaire_id', type: 'uuid' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_questions_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @Column({ name: 'section_id', type: 'uuid' })
  sectionId: string;

  @ManyToOne(() => QuestionnaireSectionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'section_id', foreignKeyConstraintName: 'FK_questionnaire_questions_section' })
  section?: QuestionnaireSectionEntity;

  @Column({ type: 'int' })
  position: number;

  @Column({ type: 'varchar', length: 16 })
  type: QuestionType;

  @Column({ type: 'boolean', default: false })
  required: boolean;

  @Column({ name: 'prompt_th', type: 'varchar', length: 1000 })
  promptTh: string;

  @Column({ name: 'prompt_en', type: 'varchar', length: 1000, nullable: true })
  promptEn: string | null;

  /** NUMBER: the allowed range (either end optional); SCALE: its two ends, whole numbers. */
  @Column({ name: 'min_value', type: 'numeric', precision: 15, scale: 4, nullable: true })
  minValue: string | null;

  @Column({ name: 'max_value', type: 'numeric', precision: 15, scale: 4, nullable: true })
  maxValue: string | null;

  /** MULTIPLE_CHOICE: how many options an answer marks, at least and at most. */
  @Column({ name: 'min_choices', type: 'int', nullable: true })
  minChoices: number | null;

  @Column({ name: 'max_choices', type: 'int', nullable: true })
  maxChoices: number | null;

  /** SCALE: what its low and high ends mean ("ไม่เห็นด้วยอย่างยิ่ง" ... "เห็นด้วยอย่างยิ่ง"). */
  @Column({ name: 'scale_min_label_th', type: 'varchar', length: 100, nullable: true })
  scaleMinLabelTh: string | null;

  @Column({ name: 'scale_min_label_en', type: 'varchar', length: 100, nullable: true })
  scaleMinLabelEn: string | null;

  @Column({ name: 'scale_max_label_th', type: 'varchar', length: 100, nullable: true })
  scaleMaxLabelTh: string | null;

  @Column({ name: 'scale_max_label_en', type: 'varchar', length: 100, nullable: true })
  scaleMaxLabelEn: string | null;

  /** Shown only when this earlier question's answer has chosen `show_when_option_id` (choice questions) or equals `show_when_number` (scale, number). */
  @Column({ name: 'show_when_question_id', type: 'uuid', nullable: true })
  showWhenQuestionId: string | null;

  @ManyToOne(() => QuestionnaireQuestionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'show_when_question_id', foreignKeyConstraintName: 'FK_questionnaire_questions_show_when_question' })
  showWhenQuestion?: QuestionnaireQuestionEntity;

  @Column({ name: 'show_when_option_id', type: 'uuid', nullable: true })
  showWhenOptionId: string | null;

  @ManyToOne(() => QuestionnaireOptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'show_when_option_id', foreignKeyConstraintName: 'FK_questionnaire_questions_show_when_option' })
  showWhenOption?: Relation<QuestionnaireOptionEntity>;

  @Column({ name: 'show_when_number', type: 'numeric', precision: 15, scale: 4, nullable: true })
  showWhenNumber: string | null;
}

/** An option of a choice or ranking question. */
@Entity({ name: 'questionnaire_options' })
@Index('UQ_questionnaire_options_position', ['questionId', 'position'], { unique: true })
@Index('IDX_questionnaire_options_questionnaire', ['questionnaireId'])
export class QuestionnaireOptionEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_questionnaire_options' })
  id: string;

  @Column({ name: 'question_id', type: 'uuid' })
  questionId: string;

  @ManyToOne(() => QuestionnaireQuestionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'question_id', foreignKeyConstraintName: 'FK_questionnaire_options_question' })
  question?: QuestionnaireQuestionEntity;

  @Column({ name: 'questionnaire_id', type: 'uuid' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_options_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @Column({ type: 'int' })
  position: number;

  @Column({ name: 'label_th', type: 'varchar', length: 300 })
  labelTh: string;

  @Column({ name: 'label_en', type: 'varchar', length: 300, nullable: true })
  labelEn: string | null;
}

/**
 * Who responded (one row per account: the one-response rule and `responseCount`), kept apart from what
 * they answered: nothing here points at a response, and it carries no time.
 */
@Entity({ name: 'questionnaire_participations' })
@Index('IDX_questionnaire_participations_account', ['accountId'])
export class QuestionnaireParticipationEntity {
  @PrimaryColumn({ name: 'questionnaire_id', type: 'uuid', primaryKeyConstraintName: 'PK_questionnaire_participations' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_participations_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @PrimaryColumn({ name: 'account_id', type: 'uuid', primaryKeyConstraintName: 'PK_questionnaire_participations' })
  accountId: string;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'account_id', foreignKeyConstraintName: 'FK_questionnaire_participations_account' })
  account?: UserEntity;
}

/**
 * One respondent's response. `slot` is a keyed hash of (questionnaire, account) under BALLOT_SECRET: one
 * response per slot, and a change replaces its answers. In an ANONYMOUS questionnaire the response has no
 * respondent and no time; `respondent_id` and the times are set for NAMED ones only.
 */
@Entity({ name: 'questionnaire_responses' })
@Index('UQ_questionnaire_responses_slot', ['questionnaireId', 'slot'], { unique: true })
@Index('UQ_questionnaire_responses_receipt', ['questionnaireId', 'receiptHash'], { unique: true })
@Index('UQ_questionnaire_responses_respondent', ['questionnaireId', 'respondentId'], { unique: true })
export class QuestionnaireResponseEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_questionnaire_responses' })
  id: string;

  @Column({ name: 'questionnaire_id', type: 'uuid' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_responses_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @Column({ type: 'char', length: 64 })
  slot: string;

  /** SHA-256 of the receipt the respondent was given for the current answers. */
  @Column({ name: 'receipt_hash', type: 'char', length: 64 })
  receiptHash: string;

  /** Whether these answers replaced earlier ones: what their submission answered, so a retry answers the same. */
  @Column({ type: 'boolean', default: false })
  replaced: boolean;

  /** NAMED questionnaires only; always null in an ANONYMOUS one. */
  @Column({ name: 'respondent_id', type: 'uuid', nullable: true })
  respondentId: string | null;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'respondent_id', foreignKeyConstraintName: 'FK_questionnaire_responses_respondent' })
  respondent?: UserEntity;

  /** NAMED only: when first submitted, and last changed. */
  @Column({ name: 'submitted_at', type: 'timestamptz', precision: 3, nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'changed_at', type: 'timestamptz', precision: 3, nullable: true })
  changedAt: Date | null;
}

/** The receipts of answers a change replaced, as bare hashes, so a late retry is recognised as one. */
@Entity({ name: 'questionnaire_replaced_receipts' })
export class QuestionnaireReplacedReceiptEntity {
  @PrimaryColumn({ name: 'questionnaire_id', type: 'uuid', primaryKeyConstraintName: 'PK_questionnaire_replaced_receipts' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_replaced_receipts_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @PrimaryColumn({ name: 'receipt_hash', type: 'char', length: 64, primaryKeyConstraintName: 'PK_questionnaire_replaced_receipts' })
  receiptHash: string;

  @Column({ type: 'boolean' })
  replaced: boolean;
}

/**
 * One answer row: a chosen option (SINGLE_CHOICE, MULTIPLE_CHOICE: one row per marked option; RANKING: one
 * row per option with its `rank`, 1 first), a number (SCALE, NUMBER) or a text (SHORT_TEXT, LONG_TEXT).
 * Text answers can be hidden by moderators (hidden, hidden_reason, hidden_by, hidden_at).
 */
@Entity({ name: 'questionnaire_answers' })
@Check('CHK_questionnaire_answers_value', `(("option_id" IS NOT NULL)::int + ("number_value" IS NOT NULL)::int + ("text_value" IS NOT NULL)::int) = 1 AND ("rank" IS NULL OR "option_id" IS NOT NULL)`)
@Index('IDX_questionnaire_answers_response', ['responseId'])
@Index('IDX_questionnaire_answers_question', ['questionId', 'optionId'])
@Index('IDX_questionnaire_answers_questionnaire', ['questionnaireId', 'questionId'])
// A question's text answers page by id without sorting them all (results/questionnaire-text-answers.service.ts).
@Index('IDX_questionnaire_answers_texts', ['questionId', 'id'], { where: '"text_value" IS NOT NULL' })
export class QuestionnaireAnswerEntity {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'PK_questionnaire_answers' })
  id: string;

  @Column({ name: 'response_id', type: 'uuid' })
  responseId: string;

  @ManyToOne(() => QuestionnaireResponseEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'response_id', foreignKeyConstraintName: 'FK_questionnaire_answers_response' })
  response?: QuestionnaireResponseEntity;

  @Column({ name: 'questionnaire_id', type: 'uuid' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_answers_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @Column({ name: 'question_id', type: 'uuid' })
  questionId: string;

  @ManyToOne(() => QuestionnaireQuestionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'question_id', foreignKeyConstraintName: 'FK_questionnaire_answers_question' })
  question?: QuestionnaireQuestionEntity;

  @Column({ name: 'option_id', type: 'uuid', nullable: true })
  optionId: string | null;

  @ManyToOne(() => QuestionnaireOptionEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'option_id', foreignKeyConstraintName: 'FK_questionnaire_answers_option' })
  option?: QuestionnaireOptionEntity;

  /** RANKING: the option's place, 1 first. */
  @Column({ type: 'smallint', nullable: true })
  rank: number | null;

  @Column({ name: 'number_value', type: 'numeric', precision: 15, scale: 4, nullable: true })
  numberValue: string | null;

  @Column({ name: 'text_value', type: 'varchar', length: 5000, nullable: true })
  textValue: string | null;

  /** Moderation of text answers: hidden from results, with why and by whom. */
  @Column({ type: 'boolean', default: false })
  hidden: boolean;

  @Column({ name: 'hidden_reason', type: 'varchar', length: 1000, nullable: true })
  hiddenReason: string | null;

  @Column({ name: 'hidden_by', type: 'uuid', nullable: true })
  hiddenBy: string | null;

  @ManyToOne(() => UserEntity)
  @JoinColumn({ name: 'hidden_by', foreignKeyConstraintName: 'FK_questionnaire_answers_hidden_by' })
  hider?: UserEntity;

  @Column({ name: 'hidden_at', type: 'timestamptz', precision: 3, nullable: true })
  hiddenAt: Date | null;
}

export const QUESTIONNAIRE_ENTITIES = [
  QuestionnaireEntity,
  QuestionnaireSectionEntity,
  QuestionnaireQuestionEntity,
  QuestionnaireOptionEntity,
  QuestionnaireParticipationEntity,
  QuestionnaireResponseEntity,
  QuestionnaireReplacedReceiptEntity,
  QuestionnaireAnswerEntity,
];
