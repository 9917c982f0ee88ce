import { createRequire } from 'node:module';
import { resolve } from 'node:path';

/**
 * `require` from bench/ (its own node_modules: autocannon, postgraphile): the compiled files live in
 * dist/bench/, outside bench/node_modules' resolution path.
 */
export const benchRequire = createRequire(resolve(__dirname, '..', '..', '..', 'bench', 'package.json'));
