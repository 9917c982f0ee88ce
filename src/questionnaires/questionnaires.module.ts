import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DistrictsModule } from '../districts/districts.module';
import { FollowingModule } from '../following/following.module';
import { QuestionnaireClock } from './questionnaire-clock.service';
import { QuestionnaireResponses } from './questionnaire-responses.service';
import { QUESTIONNAIRE_RESOLVERS } from './questionnaires.resolver';
import { QuestionnairesService } from './questionnaires.service';
import { QuestionnaireResultsModule } from './results/questionnaire-results.module';

/** Questionnaires (consultations): staff build them, the clock or staff open and close them, people respond, named or anonymously. */
@Module({
  imports: [AccountsModule, DistrictsModule, FollowingModule, QuestionnaireResultsModule],
  providers: [QuestionnairesService, QuestionnaireResponses, QuestionnaireClock, ...QUESTIONNAIRE_RESOLVERS],
  exports: [QuestionnairesService],
})
export class QuestionnairesModule {}
