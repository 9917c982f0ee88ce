import { buildSchema, graphql } from 'graphql';
import { AppError, msg } from '../../src/common/errors/app-error';
import { checkRefusals, REFUSABLE } from '../../src/common/graphql/refusable-fields';

/** A hearing whose registrations are for hosts only, once marked and once not. */
function schemaWith(marked: boolean) {
  const schema = buildSchema(`
    type Query { hearing: Hearing, refusedAtTheRoot: String }
    type Hearing { title: String!, registrations: [String!], notes: String }
  `);
  const hearing = schema.getType('Hearing') as import('graphql').GraphQLObjectType;
  const fields = hearing.getFields();
  fields.registrations.resolve = async () => {
    throw AppError.forbidden(msg('errors.hearings.registrationsHostsOnly'));
  };
  fields.notes.resolve = () => {
    throw AppError.unauthenticated();
  };
  if (marked) {
    fields.registrations.extensions = REFUSABLE;
    fields.notes.extensions = REFUSABLE;
  }
  (schema.getQueryType()!.getFields().refusedAtTheRoot as { resolve?: unknown }).resolve = () => {
    throw AppError.forbidden();
  };
  return checkRefusals(schema);
}

const rootValue = { hearing: { title: 'Canal lights' } };

describe('refusals below the root', () => {
  it('pass through a field marked @Refusable(), as themselves', async () => {
    const result = await graphql({ schema: schemaWith(true), source: '{ hearing { title registrations notes } }', rootValue });
    expect(result.data).toEqual({ hearing: { title: 'Canal lights', registrations: null, notes: null } });
    expect(result.errors?.map((e) => (e.originalError as AppError).code).sort()).toEqual(['FORBIDDEN', 'UNAUTHENTICATED']);
  });

  it('become an error naming the field when it is not marked, sync or async', async () => {
    const result = await graphql({ schema: schemaWith(false), source: '{ hearing { title registrations notes } }', rootValue });
    expect(result.errors?.map((e) => e.message).sort()).toEqual([
      expect.stringMatching(/^Hearing\.notes refused a viewer with UNAUTHENTICATED but is not marked @Refusable\(\)/),
      expect.stringMatching(/^Hearing\.registrations refused a viewer with FORBIDDEN but is not marked @Refusable\(\)/),
    ]);
    expect(result.errors?.some((e) => e.originalError instanceof AppError)).toBe(false);
  });

  it('leave root fields alone: a refused root field erases nothing but itself', async () => {
    const result = await graphql({ schema: schemaWith(false), source: '{ refusedAtTheRoot }', rootValue });
    expect((result.errors?.[0].originalError as AppError).code).toBe('FORBIDDEN');
  });
});
