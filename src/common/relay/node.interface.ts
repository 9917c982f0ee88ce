import { Field, ID, InterfaceType } from '@nestjs/graphql';

/** Relay's Node: anything with a global id that `node(id)` can fetch again. */
@InterfaceType('Node', {
  description: 'An object with an opaque global id, fetchable with `node(id:)`.',
  resolveType: (value: Node) => value.nodeType,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id.' })
  id: string;

  /** The GraphQL type name; not exposed as a field. */
  nodeType: string;
}
