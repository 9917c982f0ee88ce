import { Injectable } from '@nestjs/common';
import { RequestContext } from '../common/context/request-context';
import { AppError, Message, msg, Thing } from '../common/errors/app-error';
import { parseGlobalId, isUuid } from '../common/relay/global-id';
import { Tx } from '../database/unit-of-work';

/** What the discussions need to know of the thing being discussed. */
export interface CommentableSubject {
  type: string;
  id: string;
  districtCode: string;
  /** Whether new comments, replies and reactions are accepted now (and why not). */
  closedReason: Message | null;
}

/** How one kind of subject (Proposal, later Hearing) takes part in discussions. */
export interface CommentableKind {
  /** The subject as the viewer may see it, or null when it does not exist or is hidden from them. */
  findVisible(rc: RequestContext, id: string): Promise<CommentableSubject | null>;
  /** Keeps the subject's count of visible comments, in the discussion's transaction. */
  adjustCommentCount(tx: Tx, id: string, delta: number): Promise<void>;
}

/**
 * Subjects register here (proposals now, hearings later), so the discussions capability does not
 * depend on any of them.
 */
@Injectable()
export class CommentableRegistry {
  private readonly kinds = new Map<string, CommentableKind>();

  /** `type`: a node type that names a thing (errors.things.*), so that NOT_FOUND can name it. */
  register(type: Thing, kind: CommentableKind): void {
    if (this.kinds.has(type)) throw new Error(`Commentable type ${type} registered twice`);
    this.kinds.set(type, kind);
  }

  /** The subject of a global id, or BAD_USER_INPUT (not a discussable id) / NOT_FOUND (not visible). */
  async require(rc: RequestContext, subjectGlobalId: string, field: string): Promise<{ subject: CommentableSubject; kind: CommentableKind }> {
    const parsed = parseGlobalId(subjectGlobalId);
    const kind = parsed ? this.kinds.get(parsed.type) : undefined;
    if (!parsed || !kind || !isUuid(parsed.id)) throw AppError.badInput([{ field, message: msg('errors.discussions.notDiscussable', { kinds: [...this.kinds.keys()].join(', ') }) }]);
    const subject = await kind.findVisible(rc, parsed.id.toLowerCase());
    if (!subject) throw AppError.notFound(parsed.type as Thing); // only Things are registered
    return { subject, kind };
  }

  kind(type: string): CommentableKind {
    const kind = this.kinds.get(type);
    if (!kind) throw new Error(`Unknown commentable type ${type}`);
    return kind;
  }
}
