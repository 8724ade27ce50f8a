import { createBatchLoader } from '../../../src/lib/batch-loader';

describe('createBatchLoader', () => {
  it('answers the calls of one turn of the event loop with one run, in order', async () => {
    const runs: number[][] = [];
    const load = createBatchLoader<number, number>(async (inputs) => {
      runs.push(inputs);
      return inputs.map((n) => n * 10);
    }, { maxBatch: 100, maxInFlight: 1 });

    const answers = await Promise.all([load(1), load(2), load(3)]);

    expect(answers).toEqual([10, 20, 30]);
    expect(runs).toEqual([[1, 2, 3]]);
  });

  it('queues calls behind a running batch and sends them together, at most maxBatch at a time', async () => {
    const runs: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const load = createBatchLoader<number, number>(async (inputs) => {
      runs.push(inputs);
      if (runs.length === 1) await first;
      return inputs;
    }, { maxBatch: 2, maxInFlight: 1 });

    const a = load(1);
    await new Promise((r) => setImmediate(r));
    const rest = [load(2), load(3), load(4)];
    release();
    await Promise.all([a, ...rest]);

    expect(runs).toEqual([[1], [2, 3], [4]]);
  });

  it('fails only the caller whose answer is an Error, and every caller when the run throws', async () => {
    const perItem = createBatchLoader<number, number>(async (inputs) => inputs.map((n) => (n === 2 ? new Error('bad') : n)), { maxBatch: 10, maxInFlight: 1 });
    const whole = createBatchLoader<number, number>(async () => {
      throw new Error('database away');
    }, { maxBatch: 10, maxInFlight: 1 });

    const results = await Promise.allSettled([perItem(1), perItem(2), perItem(3)]);
    const failed = await Promise.allSettled([whole(1), whole(2)]);

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('fails a batch not answered within its deadline, frees its place for the calls behind it, and ignores the late answer', async () => {
    // Arrange: the first run hangs until released; the second answers at once. The clock is ours, so
    // the test does not depend on how fast the machine is: the first batch is sent with 10 ms left.
    const runs: number[][] = [];
    let release!: () => void;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const load = createBatchLoader<number, number>(
      async (inputs) => {
        runs.push(inputs);
        if (runs.length === 1) await hung;
        return inputs;
      },
      { maxBatch: 10, maxInFlight: 1, deadline: { ms: 1000, error: () => new Error('too slow') } },
    );
    const realNow = Date.now;
    let now = realNow();
    Date.now = () => now;
    try {
      // Act
      const first = load(1);
      now += 990;
      await new Promise((r) => setImmediate(r));
      const second = load(2);
      const outcomes = await Promise.allSettled([first, second]);
      release();
      await new Promise((r) => setImmediate(r));

      // Assert: the hung batch failed with the deadline's error; the one behind it ran and answered.
      expect(outcomes[0]).toEqual({ status: 'rejected', reason: new Error('too slow') });
      expect(outcomes[1]).toEqual({ status: 'fulfilled', value: 2 });
      expect(runs).toEqual([[1], [2]]);
    } finally {
      Date.now = realNow;
    }
  });

  it('sends a full batch at once, without waiting for the end of the turn', async () => {
    const runs: number[][] = [];
    const load = createBatchLoader<number, number>(async (inputs) => {
      runs.push([...inputs]);
      return inputs;
    }, { maxBatch: 2, maxInFlight: 2 });

    const calls = [load(1), load(2)];
    const sentBeforeTurnEnds = runs.length;
    await Promise.all(calls);

    expect(sentBeforeTurnEnds).toBe(1);
    expect(runs).toEqual([[1, 2]]);
  });

  it('fails a call whose deadline passed while it waited for a place, without sending it', async () => {
    // Arrange: one place, taken by a run that answers only after the second call's deadline.
    const runs: number[][] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const load = createBatchLoader<number, number>(
      async (inputs) => {
        runs.push(inputs);
        if (runs.length === 1) await slow;
        return inputs;
      },
      { maxBatch: 10, maxInFlight: 1, deadline: { ms: 1000, error: () => new Error('too slow') } },
    );
    const realNow = Date.now;
    let now = realNow();
    Date.now = () => now;
    try {
      const first = load(1);
      await new Promise((r) => setImmediate(r));
      const second = load(2);
      // Act: the second call's deadline passes while it waits; then the first run answers.
      now += 1500;
      release();
      const outcomes = await Promise.allSettled([first, second]);

      // Assert: the first is answered; the second fails and was never sent.
      expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 1 });
      expect(outcomes[1]).toEqual({ status: 'rejected', reason: new Error('too slow') });
      expect(runs).toEqual([[1]]);
    } finally {
      Date.now = realNow;
    }
  });
});
