import { Scenario } from '../lib/types';

export const results: Scenario = {
  name: 'results',
  async run() {
    throw new Error('not written yet');
  },
};
