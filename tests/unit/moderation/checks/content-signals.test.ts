import { CONTENT_SCORES, contentSignalsCheck } from '../../../../src/moderation/checks/content-signals';
import { checkContext } from '../../../helpers/check-context';

const run = (body: string) => contentSignalsCheck.run(checkContext({ comment: { body } }));
const codes = async (body: string) => (await run(body)).reasons.map((r) => r.code);

describe('contentSignalsCheck', () => {
  it('passes an ordinary comment with a link in context', async () => {
    expect(await run('The council report is here: https://council.example/report, and it says the opposite.')).toEqual({
      check: 'content_signals',
      verdict: 'pass',
      score: 0,
      reasons: [],
    });
  });

  it('adds points for shouting, but not for a short capitalised word', async () => {
    const r = await run('THIS IS THE WORST ARTICLE I HAVE EVER READ IN MY LIFE');
    expect(r.score).toBe(CONTENT_SCORES.shouting);
    expect(r.reasons[0].code).toBe('shouting');
    expect(await codes('I agree with the BBC and NASA on this one.')).toEqual([]);
  });

  it('adds points for a long run of one character, not for long numbers', async () => {
    expect(await codes('Wow!!!!!!!!!!!! so good')).toEqual(['repeated_characters']);
    expect(await codes('It cost 10000000000 pounds in the end, apparently.')).toEqual([]);
  });

  it('adds points for a body that is little more than a link', async () => {
    const r = await run('see https://pills.example/buy');
    expect(r.score).toBe(CONTENT_SCORES.linkOnly);
    expect(r.reasons[0]).toMatchObject({ code: 'link_only', match: 'https://pills.example/buy' });
    expect(await codes('<a href="https://pills.example">click</a>')).toEqual(['link_only']);
  });
});
