import type { LabelledComment } from './youtube-csv';

/**
 * The rows with exact duplicate content removed, keeping the first of each (in file order). Used
 * by `npm run eval -- --dedupe`: LMFAO holds 98 exact copies, mostly of spam, so a miss or a hit
 * on one text otherwise counts many times. Rows are compared within the list given (one file).
 */
export function dedupeByContent(rows: readonly LabelledComment[]): LabelledComment[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    if (seen.has(row.content)) return false;
    seen.add(row.content);
    return true;
  });
}
