import type { ApolloServerPlugin } from '@apollo/server';
import { IDE_ASSET_PATH } from './ide-assets';
import { graphqlExamples, readReadme, withOperationNames } from './readme-examples';

/** A GraphiQL tab: the operations of one README example, named so that each can be run. */
export interface IdeTab {
  query: string;
}

/** The README's GraphQL examples as ready tabs, one per block; none when the README is not beside the server. */
export function readmeTabs(markdown = readReadme()): IdeTab[] {
  if (!markdown) return [];
  return graphqlExamples(markdown).flatMap((example) => {
    try {
      return [{ query: `# README: ${example.heading} (line ${example.line})\n${withOperationNames(example.text)}` }];
    } catch {
      // A block that does not parse still opens, as written: GraphiQL shows where it is wrong.
      return [{ query: `# README: ${example.heading} (line ${example.line})\n${example.text}` }];
    }
  });
}

/** JSON that cannot end the <script> element it is written into. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * GraphiQL over this server: queries and mutations by HTTP POST to /graphql, subscriptions over
 * graphql-ws at the same path. The headers tab goes with both (as `connectionParams` on the socket), so
 * `{ "Authorization": "Bearer <accessToken>" }` signs in the whole IDE.
 */
export function graphiqlHtml(tabs: IdeTab[]): string {
  const a = (file: string) => `${IDE_ASSET_PATH}/${file}`;
  return `<!doctype html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · District participation</title>
<link rel="stylesheet" href="${a('graphiql.min.css')}">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">กำลังโหลด… / Loading…</div>
<script type="application/json" id="ide-tabs">${scriptJson(tabs)}</script>
<script src="${a('react.production.min.js')}"></script>
<script src="${a('react-dom.production.min.js')}"></script>
<script src="${a('graphiql.min.js')}"></script>
<script>
  const here = window.location;
  const fetcher = GraphiQL.createFetcher({
    url: here.origin + '/graphql',
    subscriptionUrl: (here.protocol === 'https:' ? 'wss://' : 'ws://') + here.host + '/graphql',
  });
  const defaultTabs = JSON.parse(document.getElementById('ide-tabs').textContent);
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, { fetcher, defaultTabs: defaultTabs.length ? defaultTabs : undefined, defaultEditorToolsVisibility: true, shouldPersistHeaders: true }),
  );
</script>
</body>
</html>
`;
}

/**
 * Apollo's landing page, which it serves to a GET of /graphql that prefers HTML: our GraphiQL instead
 * of Apollo's (or Nest's) page, which load their scripts from a CDN. Built once, at start.
 */
export function graphiqlLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const html = graphiqlHtml(readmeTabs());
      return { renderLandingPage: async () => ({ html }) };
    },
  };
}
