import { Scenario } from '../lib/types';

export const fanOut: Scenario = {
  name: 'fan-out',
  async run() {
    throw new Error('not written yet');
  },
};
