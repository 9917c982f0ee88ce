import { BackgroundJob } from '../../src/common/clock/background-job';

/** Passes the test ends by hand: it sees when each begins and chooses when it finishes. */
function controlledPasses() {
  const passes: { end: () => void; ended: boolean }[] = [];
  let running = 0;
  let overlapped = false;
  const job = new BackgroundJob(
    () =>
      new Promise<void>((resolve) => {
        running += 1;
        if (running > 1) overlapped = true;
        const pass = {
          ended: false,
          end: () => {
            running -= 1;
            pass.ended = true;
            resolve();
          },
        };
        passes.push(pass);
      }),
    60_000,
  );
  return { job, passes, overlapped: () => overlapped };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('a background job', () => {
  it('answers run() once a whole pass begun after the call has run, never overlapping passes', async () => {
    const { job, passes, overlapped } = controlledPasses();
    let firstDone = false;
    let secondDone = false;
    let thirdDone = false;
    void job.run().then(() => (firstDone = true));
    expect(passes).toHaveLength(1);

    // Called while a pass runs (it may have read the clock before the caller moved it): a new pass follows.
    void job.run().then(() => (secondDone = true));
    void job.run().then(() => (thirdDone = true));
    await turn();
    expect(passes).toHaveLength(1);

    passes[0].end();
    await turn();
    expect(firstDone).toBe(true);
    expect(secondDone).toBe(false);
    expect(passes).toHaveLength(2); // one pass for both callers who came during the first

    passes[1].end();
    await turn();
    expect([secondDone, thirdDone]).toEqual([true, true]);
    expect(passes).toHaveLength(2);
    expect(overlapped()).toBe(false);
  });

  it('goes on after a failed pass', async () => {
    let calls = 0;
    const job = new BackgroundJob(async () => {
      calls += 1;
      if (calls === 1) throw new Error('the database went away');
    }, 60_000);
    await expect(job.run()).resolves.toBeUndefined();
    await expect(job.run()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
