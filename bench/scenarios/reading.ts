import { Scenario } from '../lib/types';

export const reading: Scenario = {
  name: 'reading',
  async run() {
    throw new Error('not written yet');
  },
};
