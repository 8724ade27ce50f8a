import { listUntaughtImported } from '../db/comment-origin-repository';
import type { Pool } from '../db/pool';
import { SPAM_MODEL_TABLES } from '../db/text-model-repository';
import type { ClassifierInput } from '../moderation/types';
import type { ImportSource } from './types';

/** Lessons per label an import teaches at most: the most recent comments, which say most about today's spam. */
export const DEFAULT_TEACH_LIMIT = 5000;

/** Teaches the shared spam model one comment under a key (SharedClassifier.learn: bounded, undoable lessons). */
export type TeachFn = (input: ClassifierInput, label: 'spam' | 'ham', opts: { key: string }) => Promise<void>;

/**
 * What an imported status teaches, as a moderator's decision would (feedbackLabel in
 * src/moderation/review-actions.ts): a comment the site published is ham (an approval), one it
 * marked spam is spam; pending and trash say nothing about spam.
 */
export function importLabel(status: string): 'spam' | 'ham' | null {
  if (status === 'approved') return 'ham';
  if (status === 'spam') return 'spam';
  return null;
}

/**
 * Feeds imported approved and spam comments to the site's spam model through the same lessons
 * moderators' decisions give (`learn` = the shared model's, each step bounded by MAX_LESSON_SHIFT,
 * shapes and bias never learnt online), keyed like a decision on the comment (`review:<id>`): a
 * moderator's later decision on it replaces or takes back exactly this lesson, and a re-run teaches
 * nothing twice. Both labels are taught, at most `limit` of each (the most recent), so a history of
 * thousands of published comments cannot drown the spam it holds; when it holds no spam, ham alone
 * is taught, as approvals of held comments are. Runs after the import committed: a lesson that fails
 * leaves the comments imported, and a re-run teaches what is missing.
 */
export async function teachImported(pool: Pool, source: ImportSource, site: string, teach: TeachFn, limit = DEFAULT_TEACH_LIMIT): Promise<{ ham: number; spam: number }> {
  const taught = { ham: 0, spam: 0 };
  if (limit <= 0) return taught;
  for (const c of await listUntaughtImported(pool, source, site, limit, SPAM_MODEL_TABLES.lessons)) {
    const label = importLabel(c.status);
    if (!label) continue;
    await teach({ body: c.body, authorName: c.authorName, authorEmail: c.authorEmail, authorUrl: c.authorUrl }, label, { key: `review:${c.id}` });
    taught[label] += 1;
  }
  return taught;
}
