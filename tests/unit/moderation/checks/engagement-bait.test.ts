import { engagementBaitCheck } from '../../../../src/moderation/checks/engagement-bait';
import { checkContext } from '../../../helpers/check-context';

const run = (body: string) => engagementBaitCheck.run(checkContext({ comment: { body } }));

describe('engagementBaitCheck', () => {
  it.each([
    ['Like this comment if you are reading this in 2026', 'like this comment'],
    ["PLEASE DON'T LIKE THIS COMMENT IF YOU AGREE!!!", 'like this comment'],
    ['Great piece. Like if you think the mayor should resign', 'like if you'],
    ['Thumbs up if the bypass ruined your commute too', 'thumbs up if'],
    ['LIKE AND SUBSCRIBE', 'like and subscribe'],
    ['give it a like', 'give it a like'],
    ['How many likes can this comment get?', 'how many likes'],
    ['Follow 4 Follow, like 4 like', 'like for like'],
  ])('holds %j as a request for likes (%s)', async (body, name) => {
    const r = await run(body);
    expect(r.verdict).toBe('review');
    expect(r.score).toBe(0);
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'asks_for_likes', field: 'body' })]);
    expect(r.reasons[0].message).toContain(`"${name}"`);
  });

  it.each([
    "I'd like if you explained where the money for the bridge comes from.",
    'I like this comment, well put.',
    'Like so many others on our street, we were never consulted.',
    'Many readers like the new layout; I do not.',
    'Thumbs up to the volunteers who cleared the park.',
    'Would you like to see the minutes? They are on the council site.',
    'Comments like this make me subscribe to the print edition.',
  ])('passes %j', async (body) => {
    expect(await run(body)).toEqual({ check: 'engagement_bait', verdict: 'pass', score: 0, reasons: [] });
  });

  it('reads through look-alike letters and markup, and names what matched', async () => {
    // Cyrillic "і" and "е" in "like", and the request split by a tag.
    const r = await run('l\u0456k\u0435 <b>this</b> comment if you agree');
    expect(r.verdict).toBe('review');
    expect(r.reasons[0].match).toBe('like this comment');
  });
});
