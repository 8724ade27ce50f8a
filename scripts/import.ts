import { statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_ARTICLE_RULE, parseArticleRule } from '../src/import-export/article-id';
import { importComments, type ImportSummary } from '../src/import-export/import-comments';
import { progressBar } from '../src/import-export/progress';
import { DEFAULT_TEACH_LIMIT, teachImported } from '../src/import-export/teach-imported';
import { ImportFileError, type ImportSource } from '../src/import-export/types';
import { loadSharedClassifier } from '../src/models/shared-model';
import { openCliDatabase } from './lib/cli-database';

const USAGE = `usage: npm run import -- wordpress|disqus FILE.xml [--article-id RULE] [--site NAME] [--no-teach] [--teach-limit N] [--json]
  --article-id RULE   the article id of each comment, from its post's guid/link (WordPress) or thread link (Disqus):
                      a template of {key} {host} {path} {slug}, {a|b} = first not empty (default ${DEFAULT_ARTICLE_RULE})
  --site NAME         part of each comment's origin: keeps apart sites whose exports reuse post URLs and ids
  --no-teach          do not teach the spam model (default: approved and spam comments teach it)
  --teach-limit N     teach at most the N most recent comments of each label (default ${DEFAULT_TEACH_LIMIT})
  --json              print the summary as JSON
Details: docs/import-export.md`;

function usage(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function printSummary(s: ImportSummary & { taught?: { ham: number; spam: number } | null; peakRssMb: number }): void {
  const t = (k: keyof ImportSummary['byStatus']['read']) => `${k} ${s.byStatus.read[k]} (${s.byStatus.imported[k]} new)`;
  const lines = [
    `imported ${s.imported} of ${s.read} comments from ${s.source} export ${s.file}; skipped ${s.skipped} already imported${s.invalid ? `, ${s.invalid} without an id` : ''}`,
    `  by status: ${t('approved')}, ${t('pending')}, ${t('spam')}, ${t('trash')}`,
    `  by type: comment ${s.byType.comment}, pingback ${s.byType.pingback}, trackback ${s.byType.trackback}`,
    `  without an article in the export: ${s.withoutArticle}; replies to a missing parent: ${s.orphanReplies}; IPs that are not addresses: ${s.droppedIps}; without a date: ${s.undated}`,
    s.taught ? `  taught the spam model: ${s.taught.ham} ham, ${s.taught.spam} spam` : '  the spam model was not taught',
    `  peak memory: ${s.peakRssMb} MB`,
    ...s.notes.map((n) => `  note: ${n}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'article-id': { type: 'string', default: DEFAULT_ARTICLE_RULE },
      site: { type: 'string', default: '' },
      teach: { type: 'boolean' },
      'no-teach': { type: 'boolean' },
      'teach-limit': { type: 'string', default: String(DEFAULT_TEACH_LIMIT) },
      json: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [source, file] = positionals;
  if (source !== 'wordpress' && source !== 'disqus') usage('name the export format: wordpress or disqus');
  if (!file || positionals.length > 2) usage('name one export file');
  let size: number;
  try {
    size = statSync(file).size;
  } catch (err) {
    return usage(`cannot read ${file}: ${(err as Error).message}`);
  }
  let rule;
  try {
    rule = parseArticleRule(values['article-id']);
  } catch (err) {
    return usage((err as Error).message);
  }
  const teachLimit = Number(values['teach-limit']);
  if (!Number.isInteger(teachLimit) || teachLimit < 0) usage('--teach-limit must be a whole number ≥ 0');
  const teach = !values['no-teach'];
  if (values.site.length > 200) usage('--site: at most 200 characters');

  const { log, pool } = await openCliDatabase(2);
  try {
    const mb = (n: number) => (n / 1e6).toFixed(1);
    const bar = progressBar(size, (done, total, n) => `${mb(done)}/${mb(total)} MB  ${n.toLocaleString('en')} comments`);
    let summary: ImportSummary;
    try {
      summary = await importComments(pool, { source: source as ImportSource, file, articleRule: rule, site: values.site, onProgress: (bytes, n) => bar.update(bytes, n) });
    } finally {
      bar.end();
    }
    let taught: { ham: number; spam: number } | null = null;
    if (teach) {
      const shared = await loadSharedClassifier(pool, log, 0);
      if (shared) {
        let lessons: ReturnType<typeof progressBar> | null = null;
        try {
          taught = await teachImported(pool, source as ImportSource, values.site, (input, label, opts) => shared.learn(input, label, opts), teachLimit, (done, total) => {
            lessons ??= progressBar(total, (d, t) => `teaching the spam model: ${d}/${t} lessons`);
            lessons.update(done, done);
          });
        } finally {
          (lessons as ReturnType<typeof progressBar> | null)?.end();
          shared.close();
        }
      } else process.stderr.write('no spam model is stored or shipped: nothing was taught\n');
    }
    const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    const result = { ...summary, taught, peakRssMb };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else printSummary(result);
  } finally {
    await pool.end();
  }
}

main().catch((err) => {
  const message = err instanceof ImportFileError ? `${err.message}\nnothing was imported` : err instanceof Error ? err.message : String(err);
  process.stderr.write(`import failed: ${message}\n`);
  process.exit(1);
});
