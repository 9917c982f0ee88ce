import { Module } from '@nestjs/common';
import { AccountsModule } from '../../accounts/accounts.module';
import { QuestionnaireResultsController } from './questionnaire-results.controller';
import { QUESTIONNAIRE_RESULTS_RESOLVERS } from './questionnaire-results.resolver';
import { QuestionnaireResultsService } from './questionnaire-results.service';
import { QuestionnaireTextAnswersService } from './questionnaire-text-answers.service';
import { QuestionnaireResultsLive } from './results-live.service';

/** A questionnaire's results: counted in SQL and cached per response events, live, moderated, exported. */
@Module({
  imports: [AccountsModule],
  controllers: [QuestionnaireResultsController],
  providers: [QuestionnaireResultsService, QuestionnaireTextAnswersService, QuestionnaireResultsLive, ...QUESTIONNAIRE_RESULTS_RESOLVERS],
  exports: [QuestionnaireResultsLive],
})
export class QuestionnaireResultsModule {}
