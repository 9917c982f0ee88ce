import { Module } from '@nestjs/common';
import { DistrictsModule } from '../districts/districts.module';
import { AccountResolver } from './account.resolver';
import { AccountService } from './account.service';
import { AuthResolver } from './auth.resolver';
import { PasswordResetService } from './password-reset.service';
import { AuthService } from './auth.service';
import { ResidencyResolver } from './residency.resolver';
import { ResidencyService } from './residency.service';
import { DistrictHostsResolver, UsersResolver } from './users.resolver';
import { UsersService } from './users.service';

@Module({
  imports: [DistrictsModule],
  providers: [AuthService, UsersService, ResidencyService, AccountService, PasswordResetService, AuthResolver, AccountResolver, UsersResolver, DistrictHostsResolver, ResidencyResolver],
  exports: [AuthService, UsersService, ResidencyService, PasswordResetService],
})
export class AccountsModule {}
