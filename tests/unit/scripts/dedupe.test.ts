import { dedupeByContent } from '../../../scripts/lib/dedupe';
import type { LabelledComment } from '../../../scripts/lib/youtube-csv';

const row = (id: string, content: string, label: 'spam' | 'ham' = 'spam'): LabelledComment => ({ id, author: 'A', date: '', content, label, source: 'x.csv' });

describe('dedupeByContent', () => {
  it('keeps the first of each exact text, in order', () => {
    // Arrange
    const rows = [row('1', 'check out my channel'), row('2', 'nice song', 'ham'), row('3', 'check out my channel'), row('4', 'Check out my channel')];

    // Act
    const kept = dedupeByContent(rows);

    // Assert: only exact repeats go; a different capitalisation is another comment.
    expect(kept.map((r) => r.id)).toEqual(['1', '2', '4']);
  });
});
