import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { CommentableRegistry } from './commentable-registry';
import { DiscussionsResolver, NotificationCommentResolver } from './discussions.resolver';
import { DiscussionsService } from './discussions.service';

@Module({
  imports: [AccountsModule, NotificationsModule],
  providers: [CommentableRegistry, DiscussionsService, DiscussionsResolver, NotificationCommentResolver],
  exports: [CommentableRegistry, DiscussionsService],
})
export class DiscussionsModule {}
