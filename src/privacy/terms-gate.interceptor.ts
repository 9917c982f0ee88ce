import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { GqlContextType, GqlExecutionContext } from '@nestjs/graphql';
import { Observable } from 'rxjs';
import { GraphQLContext } from '../common/context/request-context';
import { termsNotAccepted } from './terms';

/**
 * What an account that has not accepted the terms in force may still do: accept them, or leave (sign
 * out, take its data, delete itself), keep its account safe (its password and sessions) and choose the
 * language it reads them in; an administrator may also publish a corrected version. Reading needs no
 * consent to new terms; changing anything else does.
 */
export const ALLOWED_BEFORE_ACCEPTING = new Set([
  'acceptTerms',
  'publishTerms',
  'logout',
  'refreshToken',
  'login',
  'register',
  'exportMyData',
  'deleteMyAccount',
  'endSession',
  'changePassword',
  'requestPasswordReset',
  'resetPassword',
  'updateProfile',
]);

/** Refuses the mutations of a signed-in account that must accept new terms first, with TERMS_NOT_ACCEPTED. */
@Injectable()
export class TermsGateInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<GqlContextType>() !== 'graphql') return next.handle();
    const gql = GqlExecutionContext.create(context);
    const info = gql.getInfo<{ parentType: { name: string }; fieldName: string }>();
    if (info.parentType.name !== 'Mutation' || ALLOWED_BEFORE_ACCEPTING.has(info.fieldName)) return next.handle();
    if (gql.getContext<GraphQLContext>().rc.viewer?.mustAcceptTerms) throw termsNotAccepted();
    return next.handle();
  }
}
