import { DEFAULT_SETTINGS } from '../../src/moderation/settings';
import type { AuthorHistory, CheckContext, CommentInput, HistoryLookup, ModerationSettings, RequestContext } from '../../src/moderation/types';

export const TEST_SECRET = 'unit-test-form-token-secret-0123';

/** A plain-object CheckContext for unit tests of checks: an unremarkable comment unless told otherwise. */
export function checkContext(
  over: { comment?: Partial<CommentInput>; request?: Partial<RequestContext>; settings?: Partial<ModerationSettings> } & Partial<Omit<CheckContext, 'comment' | 'request' | 'settings'>> = {},
): CheckContext {
  const { comment, request, settings, ...rest } = over;
  return {
    comment: {
      id: '00000000-0000-4000-8000-000000000001',
      articleId: 'budget-2026',
      parentId: null,
      authorName: 'Ada Reader',
      authorEmail: 'ada@example.org',
      authorUrl: null,
      body: 'Clear and fair reporting on the council budget.',
      ...comment,
    },
    request: { ip: '203.0.113.7', userAgent: 'Mozilla/5.0 (X11; Linux x86_64)', referrer: null, receivedAt: '2026-05-01T12:00:00.000Z', ...request },
    settings: { ...DEFAULT_SETTINGS, ...settings },
    now: new Date('2026-05-01T12:00:01.000Z'),
    ...rest,
  };
}

/** A HistoryLookup answering from fixed values, recording what it was asked. */
export function fakeHistory(answers: { duplicate?: string | null; campaign?: { authors: number; ips: number }; author?: Partial<AuthorHistory> } = {}) {
  const calls: { method: string; args: unknown[] }[] = [];
  const history: HistoryLookup = {
    async findParent(...args) {
      calls.push({ method: 'findParent', args });
      return null;
    },
    async findDuplicate(...args) {
      calls.push({ method: 'findDuplicate', args });
      return answers.duplicate ?? null;
    },
    async countCampaign(...args) {
      calls.push({ method: 'countCampaign', args });
      return answers.campaign ?? { authors: 1, ips: 1 };
    },
    async authorHistory(...args) {
      calls.push({ method: 'authorHistory', args });
      return { approvedByEmail: 0, spamByEmail: 0, spamByIp: 0, spamByUrl: 0, ...answers.author };
    },
  };
  return { history, calls };
}
