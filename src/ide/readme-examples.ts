import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kind, OperationDefinitionNode, parse } from 'graphql';

/** One ```graphql block of the README. */
export interface GraphQLExample {
  /** The heading the block is under ("Using the API"). */
  heading: string;
  /** Line of the opening fence, from 1. */
  line: number;
  text: string;
  /** The `<!-- example: ... -->` comment right before the block, if any (see README, "The IDE"). */
  directive?: string;
}

/** The ```graphql blocks of a Markdown text, in order. */
export function graphqlExamples(markdown: string): GraphQLExample[] {
  const lines = markdown.split('\n');
  const examples: GraphQLExample[] = [];
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^#{1,6} /.test(line)) heading = line.replace(/^#+ /, '');
    if (line.trim() !== '```graphql') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== '```'; i++) body.push(lines[i]);
    let before = start - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const directive = before >= 0 ? /^<!--\s*example:\s*(.*?)\s*-->$/.exec(lines[before].trim())?.[1] : undefined;
    examples.push({ heading, line: start + 1, text: body.join('\n') + '\n', directive });
  }
  return examples;
}

/** The README beside package.json, from src/ide or dist/src/ide alike; undefined when it is not there (an image without it). */
export function readReadme(from = __dirname): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const file = join(dir, 'README.md');
      return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** A document's operations, each with the source text it was written as (comments kept). */
export function operationsOf(text: string): { operation: OperationDefinitionNode; source: string }[] {
  const document = parse(text);
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return operations.map((operation, index) => {
    // From the end of the previous operation, so the comment lines before this one come with it.
    const from = index === 0 ? 0 : operations[index - 1].loc!.end;
    return { operation, source: text.slice(from, operation.loc!.end).replace(/^\s*\n/, '') };
  });
}

/**
 * The block with a name given to each anonymous operation (`mutation Register { ... }`, from its first
 * field), so that GraphiQL can run any one of them: a document of several anonymous operations runs none.
 */
export function withOperationNames(text: string): string {
  const used = new Set<string>();
  const named = operationsOf(text).map(({ operation }) => operation);
  let result = '';
  let at = 0;
  for (const operation of named) {
    if (operation.name) {
      used.add(operation.name.value);
      continue;
    }
    const first = operation.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
    const base = first ? first.name.value.charAt(0).toUpperCase() + first.name.value.slice(1) : 'Example';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}${n}`;
    used.add(name);
    const start = operation.loc!.start;
    result += text.slice(at, start);
    // `{ ... }` is a query without the keyword; otherwise the name goes after the keyword.
    result += text.startsWith('{', start) ? `query ${name} ` : `${operation.operation} ${name}`;
    at = text.startsWith('{', start) ? start : start + operation.operation.length;
  }
  return result + text.slice(at);
}
