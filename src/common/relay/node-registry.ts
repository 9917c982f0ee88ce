import { Injectable } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { AppError, msg } from '../errors/app-error';
import { parseGlobalId, UUID } from './global-id';
import { Node } from './node.interface';

/** Fetches one object of a type by its database id, as the viewer may see it (null when hidden). */
export type NodeFetcher = (id: string, rc: RequestContext) => Promise<Node | null>;

/**
 * Each capability registers how to fetch its node types, with its own visibility rules, so
 * `node(id)` never shows what the type's own queries would hide.
 */
@Injectable()
export class NodeRegistry {
  private readonly fetchers = new Map<string, { fetch: NodeFetcher; idPattern: RegExp }>();

  /** `idPattern`: what a database id of the type looks like (most are UUIDs; districts use their official code). */
  register(type: string, fetcher: NodeFetcher, idPattern: RegExp = UUID): void {
    if (this.fetchers.has(type)) throw new Error(`Node type ${type} registered twice`);
    this.fetchers.set(type, { fetch: fetcher, idPattern });
  }

  /**
   * An object by its global id, as the viewer may see it: null when it does not exist or is hidden from
   * them. An id that is not a node's at all (another kind of id, or no id) is BAD_USER_INPUT naming `field`.
   */
  async fetch(globalId: string, rc: RequestContext, field = 'id'): Promise<Node | null> {
    const parsed = parseGlobalId(globalId);
    const fetcher = parsed ? this.fetchers.get(parsed.type) : undefined;
    if (!parsed || !fetcher || !fetcher.idPattern.test(parsed.id)) {
      throw AppError.badInput([{ field, message: msg('errors.input.notIdOf', { type: [...this.fetchers.keys()].sort().join(', ') }) }]);
    }
    return fetcher.fetch(parsed.id.toLowerCase(), rc);
  }

  /**
   * An object of one type by its global id, for a field that takes only that type: null when it does
   * not exist or the viewer may not see it, BAD_USER_INPUT naming `field` when the id is not one of
   * that type at all (an id carries its type: a Comment's id given for a Proposal is the client's mistake).
   */
  async fetchAs<T extends Node>(globalId: string, type: string, rc: RequestContext, field: string): Promise<T | null> {
    const parsed = parseGlobalId(globalId);
    if (!parsed || parsed.type !== type) throw AppError.badInput([{ field, message: msg('errors.input.notIdOf', { type }) }]);
    return (await this.fetch(globalId, rc, field)) as T | null;
  }
}
