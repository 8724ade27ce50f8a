import nodemailer, { type Transporter } from 'nodemailer';
import { advanceMailMark, findHeldSince, listHeldRecipients, lockMailMark } from '../../db/integration-settings-repository';
import { withTransaction, type Pool } from '../../db/pool';
import type { Logger } from '../../logger';

/** Comments quoted in one e-mail; the rest are counted. */
export const COMMENTS_SHOWN = 5;
const EXCERPT_CHARS = 200;

/** The SMTP transport (nodemailer) for SMTP_URL, e.g. smtp://user:pass@mail.example.org:587 or smtps://…:465. */
export function createMailTransport(smtpUrl: string): Transporter {
  return nodemailer.createTransport(smtpUrl);
}

export interface HeldMailDeps {
  pool: Pool;
  log: Logger;
  transport: Pick<Transporter, 'sendMail'>;
  from: string;
  publicUrl: string;
}

/**
 * WordPress's moderation_notify: tells opted-in moderators about comments held since the last
 * e-mail (how many, the first few, a link to the queue). Runs as a mail job (one at a time), in one
 * transaction holding the "announced until" mark: the mark moves only once the mail server took the
 * message, so a failed send is retried with the same comments and nothing is announced twice.
 */
export function createHeldMailProcessor(deps: HeldMailDeps) {
  return async (): Promise<{ sent: number; recipients: number }> =>
    withTransaction(deps.pool, async (client) => {
      const { since, until } = await lockMailMark(client);
      const recipients = await listHeldRecipients(client);
      const held = await findHeldSince(client, since, until, COMMENTS_SHOWN);
      if (held.count > 0 && recipients.length > 0) {
        await deps.transport.sendMail({ from: deps.from, to: deps.from, bcc: recipients, subject: subject(held.count), text: body(held, deps.publicUrl) });
        deps.log.info({ comments: held.count, recipients: recipients.length }, 'held-comment e-mail sent');
      }
      await advanceMailMark(client, until);
      return { sent: held.count > 0 && recipients.length > 0 ? held.count : 0, recipients: recipients.length };
    });
}

function subject(count: number): string {
  return count === 1 ? '1 comment is waiting for moderation' : `${count} comments are waiting for moderation`;
}

function body(held: Awaited<ReturnType<typeof findHeldSince>>, publicUrl: string): string {
  const lines = [`${subject(held.count)}.`, ''];
  for (const c of held.comments) {
    const text = c.body.replace(/\s+/g, ' ').trim();
    lines.push(`* ${c.authorName || '(no name)'} on ${c.articleId}:`, `  "${text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS)}…` : text}"`, '');
  }
  if (held.count > held.comments.length) lines.push(`…and ${held.count - held.comments.length} more.`, '');
  lines.push(`Review them: ${publicUrl}/moderation`, '', 'You get this e-mail because you asked to be told about held comments; turn it off in the review page (Settings).');
  return lines.join('\n');
}
