import { Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Connection } from '../common/pagination/connection';
import { toGlobalId } from '../common/relay/global-id';
import { Node } from '../common/relay/node.interface';
import {
  QuestionnaireAnonymity,
  QuestionnaireAudience,
  QuestionnaireEntity,
  QuestionnaireOptionEntity,
  QuestionnaireQuestionEntity,
  QuestionnaireSectionEntity,
  QuestionnaireStatus,
  QuestionType,
} from './entities/questionnaire.entity';

registerEnumType(QuestionnaireStatus, { name: 'QuestionnaireStatus' });
registerEnumType(QuestionnaireAudience, { name: 'QuestionnaireAudience' });
registerEnumType(QuestionnaireAnonymity, { name: 'QuestionnaireAnonymity' });
registerEnumType(QuestionType, { name: 'QuestionType' });

const number = (value: string | null): number | null => (value === null ? null : Number(value));

@ObjectType('Questionnaire', { implements: () => [Node], description: 'A district’s questionnaire (แบบสอบถาม). Anyone may read an open or closed one; drafts only the district’s staff and administrators.' })
export class Questionnaire implements Node {
  @Field(() => String)
  titleTh: string;

  @Field(() => String, { nullable: true })
  titleEn: string | null;

  @Field(() => String)
  introductionTh: string;

  @Field(() => String, { nullable: true })
  introductionEn: string | null;

  @Field(() => QuestionnaireStatus)
  status: QuestionnaireStatus;

  @Field(() => QuestionnaireAudience)
  audience: QuestionnaireAudience;

  @Field(() => QuestionnaireAnonymity)
  anonymity: QuestionnaireAnonymity;

  @Field(() => Boolean, { description: 'Whether everyone sees the results while it is open (questionnaireResults); otherwise after closing. Its staff always do.' })
  resultsLive: boolean;

  @Field(() => Date, { nullable: true, description: 'When the clock opens it (a DRAFT), unless staff open it before.' })
  opensAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the clock closes it, unless staff close it before.' })
  closesAt: Date | null;

  @Field(() => Date, { nullable: true })
  openedAt: Date | null;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field(() => Date)
  createdAt: Date;

  id: string;
  nodeType = 'Questionnaire';
  questionnaireId: string;
  districtCode: string;
  proposalId: string | null;
  hearingId: string | null;

  static from(entity: QuestionnaireEntity): Questionnaire {
    return Object.assign(new Questionnaire(), {
      id: toGlobalId('Questionnaire', entity.id),
      questionnaireId: entity.id,
      districtCode: entity.districtCode,
      proposalId: entity.proposalId,
      hearingId: entity.hearingId,
      titleTh: entity.titleTh,
      titleEn: entity.titleEn,
      introductionTh: entity.introductionTh,
      introductionEn: entity.introductionEn,
      status: entity.status,
      audience: entity.audience,
      anonymity: entity.anonymity,
      resultsLive: entity.resultsLive,
      opensAt: entity.opensAt,
      closesAt: entity.closesAt,
      openedAt: entity.openedAt,
      closedAt: entity.closedAt,
      createdAt: entity.createdAt,
    });
  }
}

@ObjectType()
export class QuestionnaireConnection extends Connection(Questionnaire, 'Questionnaire') {}

@ObjectType('QuestionnaireSection', { implements: () => [Node], description: 'A heading over some of a questionnaire’s questions.' })
export class QuestionnaireSection implements Node {
  @Field(() => Int, { description: '1 for the first section.' })
  position: number;

  @Field(() => String)
  titleTh: string;

  @Field(() => String, { nullable: true })
  titleEn: string | null;

  @Field(() => String)
  descriptionTh: string;

  @Field(() => String, { nullable: true })
  descriptionEn: string | null;

  id: string;
  nodeType = 'QuestionnaireSection';
  sectionId: string;
  questionnaireId: string;

  static from(entity: QuestionnaireSectionEntity): QuestionnaireSection {
    return Object.assign(new QuestionnaireSection(), {
      id: toGlobalId('QuestionnaireSection', entity.id),
      sectionId: entity.id,
      questionnaireId: entity.questionnaireId,
      position: entity.position,
      titleTh: entity.titleTh,
      titleEn: entity.titleEn,
      descriptionTh: entity.descriptionTh,
      descriptionEn: entity.descriptionEn,
    });
  }
}

@ObjectType('QuestionnaireOption', { implements: () => [Node], description: 'An option of a choice or ranking question.' })
export class QuestionnaireOption implements Node {
  @Field(() => Int, { description: '1 for the first option.' })
  position: number;

  @Field(() => String)
  labelTh: string;

  @Field(() => String, { nullable: true })
  labelEn: string | null;

  id: string;
  nodeType = 'QuestionnaireOption';
  optionId: string;
  questionId: string;
  questionnaireId: string;

  static from(entity: QuestionnaireOptionEntity): QuestionnaireOption {
    return Object.assign(new QuestionnaireOption(), {
      id: toGlobalId('QuestionnaireOption', entity.id),
      optionId: entity.id,
      questionId: entity.questionId,
      questionnaireId: entity.questionnaireId,
      position: entity.position,
      labelTh: entity.labelTh,
      labelEn: entity.labelEn,
    });
  }
}

@ObjectType({ description: 'Shown only when an earlier question’s answer chose `option` (choice questions) or equals `number` (scale, number).' })
export class QuestionShowWhen {
  @Field(() => QuestionnaireOption, { nullable: true })
  option: QuestionnaireOption | null;

  @Field(() => Float, { nullable: true })
  number: number | null;

  questionId: string;
}

@ObjectType('QuestionnaireQuestion', { implements: () => [Node], description: 'A question of a questionnaire. Its questions are frozen once the questionnaire opens.' })
export class QuestionnaireQuestion implements Node {
  @Field(() => Int, { description: 'Its number in the whole questionnaire, 1 first.' })
  position: number;

  @Field(() => QuestionType)
  type: QuestionType;

  @Field(() => Boolean)
  required: boolean;

  @Field(() => String)
  promptTh: string;

  @Field(() => String, { nullable: true })
  promptEn: string | null;

  @Field(() => Float, { nullable: true, description: 'NUMBER: the smallest allowed; SCALE: its low end.' })
  minValue: number | null;

  @Field(() => Float, { nullable: true, description: 'NUMBER: the largest allowed; SCALE: its high end.' })
  maxValue: number | null;

  @Field(() => Int, { nullable: true, description: 'MULTIPLE_CHOICE: the fewest options an answer marks.' })
  minChoices: number | null;

  @Field(() => Int, { nullable: true, description: 'MULTIPLE_CHOICE: the most options an answer marks.' })
  maxChoices: number | null;

  @Field(() => String, { nullable: true, description: 'SCALE: what its low end means.' })
  scaleMinLabelTh: string | null;

  @Field(() => String, { nullable: true })
  scaleMinLabelEn: string | null;

  @Field(() => String, { nullable: true, description: 'SCALE: what its high end means.' })
  scaleMaxLabelTh: string | null;

  @Field(() => String, { nullable: true })
  scaleMaxLabelEn: string | null;

  @Field(() => QuestionShowWhen, { nullable: true, description: 'Null when it is always shown.' })
  showWhen: QuestionShowWhen | null;

  id: string;
  nodeType = 'QuestionnaireQuestion';
  questionId: string;
  questionnaireId: string;
  sectionId: string;

  static from(entity: QuestionnaireQuestionEntity, options: QuestionnaireOptionEntity[] = []): QuestionnaireQuestion {
    const showOption = entity.showWhenOptionId ? options.find((o) => o.id === entity.showWhenOptionId) : undefined;
    return Object.assign(new QuestionnaireQuestion(), {
      id: toGlobalId('QuestionnaireQuestion', entity.id),
      questionId: entity.id,
      questionnaireId: entity.questionnaireId,
      sectionId: entity.sectionId,
      position: entity.position,
      type: entity.type,
      required: entity.required,
      promptTh: entity.promptTh,
      promptEn: entity.promptEn,
      minValue: number(entity.minValue),
      maxValue: number(entity.maxValue),
      minChoices: entity.minChoices,
      maxChoices: entity.maxChoices,
      scaleMinLabelTh: entity.scaleMinLabelTh,
      scaleMinLabelEn: entity.scaleMinLabelEn,
      scaleMaxLabelTh: entity.scaleMaxLabelTh,
      scaleMaxLabelEn: entity.scaleMaxLabelEn,
      showWhen: entity.showWhenQuestionId
        ? Object.assign(new QuestionShowWhen(), { questionId: entity.showWhenQuestionId, option: showOption ? QuestionnaireOption.from(showOption) : null, number: number(entity.showWhenNumber) })
        : null,
    });
  }
}

@ObjectType({ description: 'The answer to one question of a response.' })
export class QuestionnaireAnswer {
  @Field(() => [QuestionnaireOption], { description: 'Choice questions: the chosen options; RANKING: all options, first-ranked first. Empty otherwise.' })
  options: QuestionnaireOption[];

  @Field(() => Float, { nullable: true, description: 'SCALE and NUMBER.' })
  number: number | null;

  @Field(() => String, { nullable: true, description: 'SHORT_TEXT and LONG_TEXT.' })
  text: string | null;

  questionId: string;
}

@ObjectType({ description: 'A response as its respondent sees it. Responses are not nodes and have no id: in an ANONYMOUS questionnaire nothing may link one to its respondent.' })
export class QuestionnaireResponse {
  @Field(() => [QuestionnaireAnswer])
  answers: QuestionnaireAnswer[];

  @Field(() => Date, { nullable: true, description: 'NAMED questionnaires only: when it was last changed (or first submitted).' })
  updatedAt: Date | null;
}
