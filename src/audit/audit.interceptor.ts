import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { Observable, tap } from 'rxjs';
import { GraphQLContext } from '../common/context/request-context';
import { AuditService } from './audit.service';
import { AuditScope, auditScope } from './audit-scope';

/**
 * Every mutation runs inside an audit scope: its transaction writes a SUCCESS entry with the change,
 * and a refusal is recorded on its own (the refused change was rolled back, its record must not be).
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditService) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<{ parentType: { name: string }; fieldName: string }>();
    if (info.parentType.name !== 'Mutation') return next.handle();
    const rc = gql.getContext<GraphQLContext>().rc;
    const scope: AuditScope = { rc, action: info.fieldName, written: false };
    return new Observable((subscriber) =>
      auditScope.run(scope, () =>
        next
          .handle()
          .pipe(
            tap({
              next: () => {
                if (!scope.written) void this.audit.recordOutside(scope, null);
              },
              error: (error: unknown) => void this.audit.recordOutside(scope, error),
            }),
          )
          .subscribe(subscriber),
      ),
    );
  }
}
