export interface HostileDocument {
  name: string;
  query: string;
  /** Variables as JSON text (JSON.stringify cannot write 5,000 nested lists). */
  variablesJson?: string;
  /** The first error code, or 'answered'. */
  outcome: string;
}

/** `query { ...F<n> }` where F0 selects `leaf` and each F<k> spreads F<k-1> twice: 2^n copies if expanded naively. */
const doublingFragments = (n: number, leaf = '__typename') =>
  `query { ...F${n} } fragment F0 on Query { ${leaf} } ${Array.from({ length: n }, (_, k) => `fragment F${k + 1} on Query { ...F${k} ...F${k} }`).join(' ')}`;
/** `{"zz":[[[ ... ]]]}` nested `levels` deep, as JSON text (JSON.stringify cannot write 5,000 levels). */
const nestedLists = (levels: number) => `{"zz":${'['.repeat(levels)}${']'.repeat(levels)}}`;
/** `{ <field> <field> ... }`, about `bytes` long. */
const repeated = (field: string, bytes: number) => `{ ${`${field} `.repeat(Math.floor((bytes - 4) / (field.length + 1)))}}`;

/** Nine fields. */
const DISTRICT_PAGE = 'districts { code nameTh nameEn id endorsementThreshold hosts { id displayName } }';

/**
 * Documents and variables that stalled the server (issue 12), and their neighbours: each is refused
 * with its code before any costly step, or answered. limits.spec sends each over HTTP and graphql-ws;
 * the benchmark (bench/scenarios/parsing.ts) times parsing, the limits and validation of each.
 */
export const HOSTILE_DOCUMENTS: HostileDocument[] = [
  // Execution spreads a fragment once per selection set: F24 is one __typename, and so is F30.
  { name: 'F24: fragments each spreading the previous twice (983 bytes)', query: doublingFragments(24), outcome: 'answered' },
  { name: 'F30, the same chain six levels longer', query: doublingFragments(30), outcome: 'answered' },
  { name: 'F24 ending in a list of districts: one list, not 2^24', query: doublingFragments(24, 'districts { code }'), outcome: 'answered' },
  {
    name: 'two fragments spreading each other’s previous, 24 times: 2^24 aliases once merged',
    query: `query { ...A24 } fragment A0 on Query { a: __typename } fragment B0 on Query { b: __typename } ${Array.from({ length: 24 }, (_, k) => `fragment A${k + 1} on Query { ...A${k} ...B${k} } fragment B${k + 1} on Query { ...B${k} ...A${k} }`).join(' ')}`,
    outcome: 'TOO_MANY_ALIASES',
  },
  {
    name: 'wide and deep: 30 aliased threads, each 12 replies deep through one fragment',
    query: `{ ${Array.from({ length: 30 }, (_, i) => `t${i}: comments(subjectId: "x", first: 100) { ...Thread }`).join(' ')} } fragment Thread on CommentConnection { edges { node { ${'replies { '.repeat(9)}id${' }'.repeat(9)} } } }`,
    outcome: 'QUERY_TOO_COMPLEX',
  },
  {
    name: 'deep through fragments: each fragment one level below the previous, 20 of them',
    query: `{ comments(subjectId: "x") { edges { node { ...R20 } } } } fragment R0 on Comment { id } ${Array.from({ length: 20 }, (_, k) => `fragment R${k + 1} on Comment { id replies { ...R${k} } }`).join(' ')}`,
    outcome: 'QUERY_TOO_DEEP',
  },
  { name: '1 MB of repeated fields', query: repeated('__typename', 1_000_000), outcome: 'GRAPHQL_PARSE_FAILED' },
  { name: 'districts { code } 50 times: 100 fields under a repeated name (the limit)', query: `{ ${'districts { code } '.repeat(50)}}`, outcome: 'answered' },
  { name: 'districts { code } 51 times', query: `{ ${'districts { code } '.repeat(51)}}`, outcome: 'QUERY_TOO_COMPLEX' },
  { name: 'a 9-field subtree 11 times: 99 fields under a repeated name', query: `{ ${`${DISTRICT_PAGE} `.repeat(11)}}`, outcome: 'answered' },
  { name: 'a 9-field subtree 12 times', query: `{ ${`${DISTRICT_PAGE} `.repeat(12)}}`, outcome: 'QUERY_TOO_COMPLEX' },
  { name: '1,000 repeats of one field, under the token limit', query: repeated('districts { code }', 19_000), outcome: 'QUERY_TOO_COMPLEX' },
  {
    name: '120 fragments selecting the same fields at one level',
    query: `query { ${Array.from({ length: 120 }, (_, i) => `...F${i}`).join(' ')} } ${Array.from({ length: 120 }, (_, i) => `fragment F${i} on Query { districts { code } }`).join(' ')}`,
    outcome: 'QUERY_TOO_COMPLEX',
  },
  {
    name: 'an unused fragment repeating one field 1,000 times',
    query: `{ __typename } fragment Unused on Query { ${'districts { code } '.repeat(1000)}}`,
    outcome: 'QUERY_TOO_COMPLEX',
  },
  {
    name: 'a fragment of 1,000 names spread under 740 fields',
    query: `{ ${Array.from({ length: 740 }, (_, i) => `z${i} { ...F }`).join(' ')} } fragment F on Query { ${Array.from({ length: 1000 }, (_, i) => `f${i}`).join(' ')} }`,
    outcome: 'QUERY_TOO_COMPLEX',
  },
  {
    name: 'an honest page with colocated fragments repeating a few fields',
    query: `{ districts { ...Name ...Code } district(code: "1001") { ...Name ...Code code } } fragment Name on District { code nameTh nameEn } fragment Code on District { code }`,
    outcome: 'answered',
  },
  { name: 'variables nested 5,000 levels deep', query: '{ __typename }', variablesJson: nestedLists(5000), outcome: 'BAD_USER_INPUT' },
  { name: 'variables nested 33 levels deep', query: '{ __typename }', variablesJson: nestedLists(33), outcome: 'BAD_USER_INPUT' },
  { name: 'variables nested 32 levels deep (the limit)', query: '{ __typename }', variablesJson: nestedLists(32), outcome: 'answered' },
  { name: '30 aliases of verifyAuditChain (anonymous, each walks the whole chain)', query: `{ ${Array.from({ length: 30 }, (_, i) => `v${i}: verifyAuditChain(districtCode: "1001") { valid }`).join(' ')} }`, outcome: 'QUERY_TOO_COMPLEX' },
  { name: 'three verifyAuditChain in one operation', query: `{ a: verifyAuditChain(districtCode: "1001") { valid } b: verifyAuditChain(districtCode: "1002") { valid } c: verifyAuditChain(districtCode: "0000") { valid } }`, outcome: 'QUERY_TOO_COMPLEX' },
  { name: 'two verifyAuditChain in one operation', query: `{ a: verifyAuditChain(districtCode: "1001") { valid } b: verifyAuditChain(districtCode: "0000") { valid } }`, outcome: 'answered' },
];
