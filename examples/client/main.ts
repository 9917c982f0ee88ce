import { runExample } from './scenario';

/** `npm run example:client -- [url]`: the worked example against a running server (default: npm start's). */
async function main(): Promise<void> {
  const url = process.argv[2] ?? 'http://localhost:3000/graphql';
  // Without the server's confirmation, give the subscribe message a moment to arrive first.
  const run = await runExample(url, () => new Promise((resolve) => setTimeout(resolve, 200)));
  console.log(JSON.stringify(run, null, 2));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
