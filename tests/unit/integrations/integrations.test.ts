import { createHmac } from 'node:crypto';
import { ConfigError, loadConfig } from '../../../src/config';
import { eventsFor } from '../../../src/integrations/comment-events';
import { signWebhook, verifyWebhookSignature } from '../../../src/integrations/webhooks/signature';
import { isPrivateAddress, parseWebhookUrl, RefusedTargetError, resolveTarget } from '../../../src/integrations/webhooks/target-guard';
import { akismetComment } from '../../../src/http/akismet/akismet-comment';
import { blogIdentity } from '../../../src/http/akismet/akismet-keys';

describe('isPrivateAddress', () => {
  it.each(['127.0.0.1', '127.255.0.9', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1', '::ffff:7f00:1', 'ff02::1', 'not an ip'])(
    'refuses %s',
    (address) => expect(isPrivateAddress(address)).toBe(true),
  );
  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:93.184.216.34'])('allows %s', (address) => expect(isPrivateAddress(address)).toBe(false));
});

describe('webhook targets', () => {
  it('accept only http(s) URLs without credentials', () => {
    expect(parseWebhookUrl('https://cms.example.org/hooks').hostname).toBe('cms.example.org');
    for (const bad of ['ftp://example.org/', 'file:///etc/passwd', 'gopher://x/', 'http://user:pass@example.org/', 'not a url']) expect(() => parseWebhookUrl(bad)).toThrow(RefusedTargetError);
  });
  it('refuse literal private addresses unless allowed, and pin the checked address', async () => {
    await expect(resolveTarget(new URL('http://127.0.0.1:8080/'), false)).rejects.toThrow(/private, loopback or link-local/);
    await expect(resolveTarget(new URL('http://[::1]/'), false)).rejects.toThrow(RefusedTargetError);
    await expect(resolveTarget(new URL('http://localhost/'), false)).rejects.toThrow(RefusedTargetError);
    expect(await resolveTarget(new URL('http://127.0.0.1:8080/'), true)).toEqual({ address: '127.0.0.1', family: 4 });
    expect(await resolveTarget(new URL('http://[::1]/'), true)).toEqual({ address: '::1', family: 6 });
  });
});

describe('webhook signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body">, and verifies only with the secret, the body and a fresh t', () => {
    const body = '{"event":"comment.published"}';
    const header = signWebhook('s3cret-s3cret-s3cret', body, 1_800_000_000);
    expect(header).toBe(`t=1800000000,v1=${createHmac('sha256', 's3cret-s3cret-s3cret').update(`1800000000.${body}`).digest('hex')}`);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', body, header, 1_800_000_010)).toBe(true);
    expect(verifyWebhookSignature('other-secret-value', body, header, 1_800_000_010)).toBe(false);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', `${body} `, header, 1_800_000_010)).toBe(false);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', body, header, 1_800_001_000)).toBe(false);
    expect(verifyWebhookSignature('s3cret-s3cret-s3cret', body, 'garbage', 1_800_000_010)).toBe(false);
  });
});

describe('eventsFor', () => {
  it('maps status changes to webhook events', () => {
    expect(eventsFor(null, 'approved')).toEqual(['comment.published']);
    expect(eventsFor(null, 'pending')).toEqual(['comment.held']);
    expect(eventsFor(null, 'spam')).toEqual(['comment.spam']);
    expect(eventsFor(null, 'rejected')).toEqual([]);
    expect(eventsFor('pending', 'approved')).toEqual(['comment.published']);
    expect(eventsFor('approved', 'spam')).toEqual(['comment.unpublished', 'comment.spam']);
    expect(eventsFor('approved', 'pending')).toEqual(['comment.unpublished', 'comment.held']);
    expect(eventsFor('approved', 'deleted')).toEqual(['comment.unpublished']);
    expect(eventsFor('approved', 'approved')).toEqual([]);
  });
});

describe('Akismet parameters', () => {
  it('map to the comment, the request and the honeypot Akismet names', () => {
    const { comment, request } = akismetComment({ blog: 'https://news.example.org', user_ip: '203.0.113.5', user_agent: 'UA', referrer: 'https://r.example', permalink: 'https://news.example.org/a', comment_author: 'Ann', comment_author_email: 'ann@example.org', comment_author_url: 'https://ann.example', comment_content: 'Hi', honeypot_field_name: 'hp', hp: 'bot' }, '00000000-0000-4000-8000-000000000000');
    expect(comment).toMatchObject({ id: '00000000-0000-4000-8000-000000000000', articleId: 'https://news.example.org/a', authorName: 'Ann', authorEmail: 'ann@example.org', authorUrl: 'https://ann.example', body: 'Hi', honeypot: 'bot', formToken: null, parentId: null });
    expect(request).toMatchObject({ ip: '203.0.113.5', userAgent: 'UA', referrer: 'https://r.example' });
    expect(akismetComment({ user_ip: 'not-an-ip', honeypot_field_name: 'comment_content', comment_content: 'x' }).comment.honeypot).toBeNull();
    expect(akismetComment({ user_ip: 'not-an-ip' }).request.ip).toBeNull();
  });
  it('match a key to its site by host and path, whatever the scheme and trailing slash', () => {
    expect(blogIdentity('https://News.Example.org/')).toBe('news.example.org');
    expect(blogIdentity('http://news.example.org')).toBe('news.example.org');
    expect(blogIdentity('https://example.org/blog/')).toBe('example.org/blog');
    expect(blogIdentity('ftp://example.org')).toBeNull();
    expect(blogIdentity('nonsense')).toBeNull();
  });
});

describe('integration settings from the environment', () => {
  const issuesFor = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.issues;
      throw err;
    }
    return [];
  };
  it('validate SMTP_URL and MAIL_FROM at start', () => {
    expect(issuesFor({ SMTP_URL: 'http://mail.example.org' })[0]).toMatch(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(issuesFor({ MAIL_FROM: 'nobody' })[0]).toMatch(/^MAIL_FROM: /);
    expect(loadConfig({ SMTP_URL: 'smtps://u:p@mail.example.org:465' }).SMTP_URL).toBe('smtps://u:p@mail.example.org:465');
    expect(loadConfig({ PUBLIC_URL: 'https://comments.example.org' }).MAIL_FROM).toBe('moderation@comments.example.org');
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
    expect(issuesFor({ WEBHOOK_ATTEMPTS: '0' })[0]).toMatch(/^WEBHOOK_ATTEMPTS: /);
  });
});
