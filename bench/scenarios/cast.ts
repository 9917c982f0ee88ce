import { Scenario } from '../lib/types';

export const cast: Scenario = {
  name: 'cast',
  async run() {
    throw new Error('not written yet');
  },
};
