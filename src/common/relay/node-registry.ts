import { Injectable } from '@nestjs/common';
import { RequestContext } from '../context/request-context';
import { parseGlobalId, isUuid } from './global-id';
import { Node } from './node.interface';

/** Fetches one object of a type by its database id, as the viewer may see it (null when hidden). */
export type NodeFetcher = (id: string, rc: RequestContext) => Promise<Node | null>;

/**
 * Each capability registers how to fetch its node types, with its own visibility rules, so
 * `node(id)` never shows what the type's own queries would hide.
 */
@Injectable()
export class NodeRegistry {
  private readonly fetchers = new Map<string, NodeFetcher>();

  register(type: string, fetcher: NodeFetcher): void {
    if (this.fetchers.has(type)) throw new Error(`Node type ${type} registered twice`);
    this.fetchers.set(type, fetcher);
  }

  async fetch(globalId: string, rc: RequestContext): Promise<Node | null> {
    const parsed = parseGlobalId(globalId);
    if (!parsed) return null;
    const fetcher = this.fetchers.get(parsed.type);
    if (!fetcher) return null;
    // Most ids are UUIDs; districts use their official code.
    if (!isUuid(parsed.id) && !/^\d{4}$/.test(parsed.id)) return null;
    return fetcher(parsed.id.toLowerCase(), rc);
  }
}
