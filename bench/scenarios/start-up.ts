import { Scenario } from '../lib/types';

export const startUp: Scenario = {
  name: 'start-up',
  async run() {
    throw new Error('not written yet');
  },
};
