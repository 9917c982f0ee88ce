import { dirname, join } from 'node:path';

/** Where an installed package lives (its package.json is exported by all three). */
function packageDir(name: string): string {
  return join(dirname(require.resolve(`${name}/package.json`)));
}

/**
 * Every file the IDE page loads, served from the installed packages (exact versions in package.json):
 * GraphiQL 3's UMD build (graphql-ws bundled, fonts inlined in its CSS) over React 18's UMD builds.
 * Nothing comes from another host, so the IDE works on an internal network.
 */
export const IDE_ASSETS: Readonly<Record<string, string>> = {
  'react.production.min.js': join(packageDir('react'), 'umd', 'react.production.min.js'),
  'react-dom.production.min.js': join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
  'graphiql.min.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.min.css': join(packageDir('graphiql'), 'graphiql.min.css'),
};

/** The URL path the assets are served under. */
export const IDE_ASSET_PATH = '/ide';
