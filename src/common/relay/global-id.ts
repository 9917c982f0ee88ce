import { AppError, msg } from '../errors/app-error';

/**
 * Opaque global ids (Relay): base64url of "Type:id". Clients must treat them as opaque strings;
 * the type inside lets `node(id)` find the object and lets a mutation refuse an id of the wrong kind.
 */
export function toGlobalId(type: string, id: string): string {
  return Buffer.from(`${type}:${id}`, 'utf8').toString('base64url');
}

export function parseGlobalId(globalId: string): { type: string; id: string } | null {
  if (typeof globalId !== 'string' || globalId.length === 0 || globalId.length > 200 || !/^[A-Za-z0-9_-]+$/.test(globalId)) return null;
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return null;
  return { type: decoded.slice(0, colon), id: decoded.slice(colon + 1) };
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The database id inside a global id of the expected type, or BAD_USER_INPUT naming the argument. */
export function fromGlobalId(globalId: string, expectedType: string, field = 'id'): string {
  const parsed = parseGlobalId(globalId);
  if (!parsed || parsed.type !== expectedType || !UUID.test(parsed.id)) {
    throw AppError.badInput([{ field, message: msg('errors.input.notIdOf', { type: expectedType }) }]);
  }
  return parsed.id.toLowerCase();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}
