import { Field, ObjectType } from '@nestjs/graphql';

@ObjectType('EnumValueLabel', { description: "One value of an enum and what a person reads for it." })
export class EnumValueLabel {
  @Field(() => String, { description: 'The value as the API sends it, e.g. IN_VOTE.' })
  value: string;

  @Field(() => String, { description: 'What to show for it, e.g. "อยู่ระหว่างลงมติ" or "In vote".' })
  label: string;
}

@ObjectType('EnumLabels', { description: 'The labels of one enum whose values people read.' })
export class EnumLabels {
  @Field(() => String, { description: "The enum's name in this schema, e.g. ProposalStatus." })
  name: string;

  @Field(() => [EnumValueLabel], { description: 'Every value, in the order a list or menu shows them.' })
  values: EnumValueLabel[];
}
