import { Args, Query, Resolver } from '@nestjs/graphql';
import { Ctx } from '../common/context/current-context.decorator';
import { RequestContext } from '../common/context/request-context';
import { enumLabels } from './enum-labels';
import { EnumLabels } from './labels.type';
import { Locale } from './locale';

@Resolver()
export class LabelsResolver {
  @Query(() => [EnumLabels], {
    description:
      "What people read for each enum value (statuses, categories, methods, kinds...), in `locale` or else the request's language. The same for everybody and fixed for a server version: fetch it once per language and keep it.",
  })
  labels(@Args('locale', { type: () => Locale, nullable: true }) locale: Locale | null, @Ctx() rc: RequestContext): EnumLabels[] {
    return enumLabels(locale ?? rc.locale);
  }
}
