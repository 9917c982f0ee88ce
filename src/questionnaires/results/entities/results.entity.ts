import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { QuestionnaireAnswerEntity, QuestionnaireEntity } from '../../entities/questionnaire.entity';

/**
 * Running counts of response events (new and changed responses) per questionnaire, spread over 16 rows
 * so that simultaneous responses rarely wait on each other: the version of the answers that the cached
 * results stand for, and the unit of an anonymous questionnaire's live batches.
 */
@Entity({ name: 'questionnaire_result_events' })
export class QuestionnaireResultEventsEntity {
  @PrimaryColumn({ name: 'questionnaire_id', type: 'uuid', primaryKeyConstraintName: 'PK_questionnaire_result_events' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_result_events_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'PK_questionnaire_result_events' })
  shard: number;

  @Column({ type: 'bigint', default: 0 })
  count: string;
}

/**
 * A questionnaire's results as last counted, with the response events they stand for: read as they are
 * while no response changed (a read is then one row, whatever the number of responses). For an anonymous
 * questionnaire while open, the last published batch, moved only forward by a whole batch.
 */
@Entity({ name: 'questionnaire_results_cache' })
export class QuestionnaireResultsCacheEntity {
  @PrimaryColumn({ name: 'questionnaire_id', type: 'uuid', primaryKeyConstraintName: 'PK_questionnaire_results_cache' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_results_cache_questionnaire' })
  questionnaire?: QuestionnaireEntity;

  @Column({ type: 'int' })
  events: number;

  /** Counted after closing: the final results. */
  @Column({ type: 'boolean' })
  final: boolean;

  @Column({ type: 'jsonb' })
  tally: object;
}

/**
 * The text answers of an anonymous questionnaire that a published batch has shown: while it is open, only
 * these are listed, so a new text cannot be set beside who was seen answering. A changed response's answers
 * are new rows, shown with the next batch.
 */
@Entity({ name: 'questionnaire_published_answers' })
@Index('IDX_questionnaire_published_answers_questionnaire', ['questionnaireId'])
export class QuestionnairePublishedAnswerEntity {
  @PrimaryColumn({ name: 'answer_id', type: 'uuid', primaryKeyConstraintName: 'PK_questionnaire_published_answers' })
  answerId: string;

  @ManyToOne(() => QuestionnaireAnswerEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'answer_id', foreignKeyConstraintName: 'FK_questionnaire_published_answers_answer' })
  answer?: QuestionnaireAnswerEntity;

  @Column({ name: 'questionnaire_id', type: 'uuid' })
  questionnaireId: string;

  @ManyToOne(() => QuestionnaireEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'questionnaire_id', foreignKeyConstraintName: 'FK_questionnaire_published_answers_questionnaire' })
  questionnaire?: QuestionnaireEntity;
}

export const QUESTIONNAIRE_RESULTS_ENTITIES = [QuestionnaireResultEventsEntity, QuestionnaireResultsCacheEntity, QuestionnairePublishedAnswerEntity];
