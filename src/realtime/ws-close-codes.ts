/**
 * Close codes the server ends a GraphQL WebSocket with (README, "Live updates"). graphql-ws clients
 * do not reconnect after 4401 and 4429 by themselves; they do after 4408 and 1013.
 */

/** The token was refused, has expired, or its session has ended: refresh or sign in, then reconnect. */
export const WS_CLOSE_UNAUTHORIZED = 4401;
/** Too many connections from one address. */
export const WS_CLOSE_RATE_LIMITED = 4429;
/** The client stopped reading its messages. */
export const WS_CLOSE_SLOW_CONSUMER = 4408;
/** The database cannot be reached to authenticate the socket's requests: reconnect shortly (WebSocket's standard "try again later"). */
export const WS_CLOSE_TRY_AGAIN_LATER = 1013;
