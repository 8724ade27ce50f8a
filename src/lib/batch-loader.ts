/**
 * Group commit for a worker's database work: calls made while the loader is busy are answered
 * together by one `run` over the whole batch.
 *
 * - A call made when fewer than `maxInFlight` batches are running goes out at the end of the
 *   current turn of the event loop (with whatever else was asked in that turn), so an idle worker
 *   adds no delay;
 * - under load, calls queue up behind the running batches and the next batch takes them all (up to
 *   `maxBatch`), so batches grow with the load and the database sees a few large statements
 *   instead of many small ones.
 *
 * `run` answers in the order of its input; an Error in its answer fails that caller only, a thrown
 * error fails the whole batch.
 */
export interface BatchLoaderOptions {
  maxBatch: number;
  maxInFlight: number;
}

export type BatchRun<I, O> = (inputs: I[]) => Promise<(O | Error)[]>;

interface Waiting<I, O> {
  input: I;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

export function createBatchLoader<I, O>(run: BatchRun<I, O>, opts: BatchLoaderOptions): (input: I) => Promise<O> {
  const waiting: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    while (waiting.length && inFlight < opts.maxInFlight) {
      const batch = waiting.splice(0, opts.maxBatch);
      inFlight += 1;
      run(batch.map((w) => w.input))
        .then(
          (answers) => batch.forEach((w, i) => (answers[i] instanceof Error ? w.reject(answers[i]) : w.resolve(answers[i] as O))),
          (err: unknown) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          inFlight -= 1;
          schedule();
        });
    }
  };

  const schedule = () => {
    if (!scheduled && waiting.length && inFlight < opts.maxInFlight) {
      scheduled = true;
      setImmediate(flush);
    }
  };

  return (input) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ input, resolve, reject });
      schedule();
    });
}
