import { Field, ID, InputType } from '@nestjs/graphql';

@InputType()
export class AppointHostInput {
  @Field(() => String)
  districtCode: string;

  @Field(() => ID, { description: 'The person (not an organisation) to appoint.' })
  userId: string;
}

@InputType()
export class RemoveHostInput {
  @Field(() => String)
  districtCode: string;

  @Field(() => ID)
  userId: string;
}
