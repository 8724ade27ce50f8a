/**
 * Micro-batching, the one mechanism the producer (comments → Redis, src/queue) and the worker (look-ups
 * and the group commit → Postgres) share: calls made while the loader is busy are answered together by
 * one `run` over the whole batch.
 *
 * - A call made when fewer than `maxInFlight` batches are running goes out at the end of the
 *   current turn of the event loop (with whatever else was asked in that turn), so an idle caller
 *   waits for nothing; a full batch (`maxBatch` calls) goes at once;
 * - under load, calls queue up behind the running batches and the next batch takes them all (up to
 *   `maxBatch`), so batches grow with the load and the server sees a few large requests instead of
 *   many small ones.
 * - With a `deadline`, a batch not answered within `deadline.ms` of its oldest call fails every call
 *   in it with `deadline.error()` and gives up its place among the `maxInFlight`, so a hung server
 *   cannot hold the calls behind it past their own deadlines (its late answer is then ignored). A
 *   call whose deadline passed while it waited for a place fails without being sent, so a failure
 *   means "not sent" wherever it can: the producer's 503 asks the reader to send again. The deadline
 *   is judged after the event loop has read pending I/O (setImmediate from the timer): a process too
 *   busy to run for a while would otherwise fire the timer before reading the answer already waiting.
 *
 * `run` answers in the order of its input; an Error in its answer fails that caller only, a thrown
 * error fails the whole batch.
 */
export interface BatchLoaderOptions {
  maxBatch: number;
  maxInFlight: number;
  deadline?: { ms: number; error: () => Error };
}

export type BatchRun<I, O> = (inputs: I[]) => Promise<(O | Error)[]>;

interface Waiting<I, O> {
  input: I;
  at: number;
  resolve: (value: O) => void;
  reject: (err: unknown) => void;
}

export function createBatchLoader<I, O>(run: BatchRun<I, O>, opts: BatchLoaderOptions): (input: I) => Promise<O> {
  let waiting: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;

  const send = (queued: Waiting<I, O>[]) => {
    const { deadline } = opts;
    let batch = queued;
    if (deadline) {
      const { ms, error } = deadline;
      const now = Date.now();
      batch = queued.filter((w) => now - w.at < ms);
      if (batch.length < queued.length) {
        const err = error();
        for (const w of queued) if (now - w.at >= ms) w.reject(err);
      }
      if (!batch.length) return;
    }
    inFlight += 1;
    let released = false;
    let timer: NodeJS.Timeout | undefined;
    const release = () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      inFlight -= 1;
      schedule();
    };
    if (deadline) {
      const { ms, error } = deadline;
      const expire = () => {
        if (released) return;
        const err = error();
        for (const w of batch) w.reject(err);
        release();
      };
      timer = setTimeout(() => setImmediate(expire), Math.max(0, ms - (Date.now() - batch[0].at)));
    }
    // A caller already failed by the deadline ignores the late answer (a promise settles once).
    run(batch.map((w) => w.input))
      .then(
        (answers) => batch.forEach((w, i) => (answers[i] instanceof Error ? w.reject(answers[i]) : w.resolve(answers[i] as O))),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      )
      .finally(release);
  };

  const flush = () => {
    scheduled = false;
    while (waiting.length && inFlight < opts.maxInFlight) {
      const batch = waiting.length <= opts.maxBatch ? waiting : waiting.slice(0, opts.maxBatch);
      waiting = waiting.length <= opts.maxBatch ? [] : waiting.slice(opts.maxBatch);
      send(batch);
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
      waiting.push({ input, at: Date.now(), resolve, reject });
      if (waiting.length >= opts.maxBatch && inFlight < opts.maxInFlight) flush();
      else schedule();
    });
}
