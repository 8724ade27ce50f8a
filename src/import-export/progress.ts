/**
 * A progress bar on a terminal (stderr), redrawn at most every 200 ms; nothing when stderr is not a
 * terminal (a pipe, a log file, a test), where the summary says it all.
 */
export function progressBar(total: number, stream: NodeJS.WriteStream = process.stderr): { update(done: number, items: number): void; end(): void } {
  if (!stream.isTTY) return { update: () => undefined, end: () => undefined };
  let last = 0;
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const draw = (done: number, items: number) => {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(share * width);
    stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}%  ${mb(done)}/${mb(total)} MB  ${items.toLocaleString('en')} comments `);
  };
  return {
    update(done, items) {
      const now = Date.now();
      if (now - last < 200 && done < total) return;
      last = now;
      draw(done, items);
    },
    end() {
      stream.write('\n');
    },
  };
}
