import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { DistrictsModule } from '../districts/districts.module';

/** Questionnaires (consultations): staff build them, the clock or staff open and close them, people respond, named or anonymously. */
@Module({
  imports: [AccountsModule, DistrictsModule],
  providers: [],
  exports: [],
})
export class QuestionnairesModule {}
