import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';
import { GraphQLContext } from '../common/context/request-context';
import { AuditService } from './audit.service';
import { AuditScope, auditScope } from './audit-scope';

/**
 * Every mutation runs inside an audit scope: its transaction writes a SUCCESS entry with the change,
 * and a refusal is recorded on its own (the refused change was rolled back, its record must not be).
 * The answer waits for that record: once a client has its answer, the audit trail shows it.
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
            concatMap(async (value) => {
              await this.audit.recordOutside(scope, null);
              return value;
            }),
            catchError((error: unknown) => from(this.audit.recordOutside(scope, error)).pipe(concatMap(() => throwError(() => error)))),
          )
          .subscribe(subscriber),
      ),
    );
  }
}
