/**
 * The demo site's articles (fictional, written for this project). Any other `?article=` id shows the
 * first story under that id, so every article URL of the template has a page with comments.
 */
export interface DemoStory {
  id: string;
  section: string;
  headline: string;
  standfirst: string;
  author: string;
  role: string;
  published: string;
  /** Paragraphs; a line starting with "## " is a subheading, one starting with "> " a pull quote. */
  body: string[];
  caption?: string;
  tags: string[];
}

export const DEFAULT_ARTICLE_ID = 'demo-article';

const STORIES: DemoStory[] = [
  {
    id: DEFAULT_ARTICLE_ID,
    section: 'City',
    headline: 'Old tram depot on Quay Street will become the city’s largest public library',
    standfirst:
      'Councillors voted 31 to 14 to turn the empty brick sheds into a library, study hall and repair café by 2029 — but the £38m plan still depends on a heritage grant that has not been decided.',
    author: 'Ingrid Solberg',
    role: 'City Hall reporter',
    published: '2026-11-24T07:30:00Z',
    caption: 'The depot’s three sheds have stood empty since the last tram line closed in 1987. Illustration: Harbour Gazette',
    body: [
      'The tram depot on Quay Street, empty for almost forty years and fenced off for the last ten, is to become the city’s main public library after the council backed the conversion on Monday night.',
      'Under the plan, the three long sheds that once housed the harbour line’s trams will hold 180,000 books, a children’s floor, 400 study seats and a workshop where residents can borrow tools and have small appliances repaired. The old inspection pits will be covered with glass so visitors can look down into them.',
      'The central library on Market Square, which has lost a third of its opening hours since 2019, would close when the depot opens. Its building is to be sold, and the council expects the sale to cover about a fifth of the cost.',
      '## A heritage grant still to come',
      'The £38m budget relies on a £12m grant from the national heritage fund, which will not decide until next spring. Without it, officers told the meeting, the project would shrink to two of the three sheds, and the repair café and the rooftop reading garden would go.',
      '> “We are not building a monument. We are building somewhere warm and free to sit, read and learn, in the part of town that has waited longest for it.” — Councillor Amira Haddad',
      'Opposition members questioned the timing. “Every library in the city has had its hours cut. Spending £38m on one new one while the branches close early is the wrong way round,” said Councillor Tom Beverley, who voted against.',
      'Residents of the Quay Street estate, who campaigned for years for the site to be reused, packed the public gallery. A consultation last year drew 2,400 replies, three quarters of them in favour of a library over the other option, a car park with shops.',
      'Building work is due to start in autumn 2027. The council has promised that the depot’s original tram tracks, still visible in the cobbles outside, will stay.',
    ],
    tags: ['Libraries', 'Quay Street', 'City council', 'Heritage'],
  },
  {
    id: 'night-ferries',
    section: 'Transport',
    headline: 'Night ferries return to the harbour for the first time since 2020',
    standfirst: 'Boats will cross every 40 minutes until 1am on Fridays and Saturdays from next month.',
    author: 'Jonas Park',
    role: 'Transport correspondent',
    published: '2026-11-23T16:05:00Z',
    body: [
      'The harbour’s late-night ferry service, cut during the pandemic and never restored, will return next month on a trial that runs until the end of March.',
      'The operator said the trial would need an average of 60 passengers a crossing to continue beyond the spring.',
    ],
    tags: ['Ferries', 'Transport'],
  },
  {
    id: 'budget-2026',
    section: 'Politics',
    headline: 'Council budget 2026: what changes for households',
    standfirst: 'Council tax rises by 4.9%, parking permits cost more, and green-waste collection becomes free again.',
    author: 'Ingrid Solberg',
    role: 'City Hall reporter',
    published: '2026-11-20T11:00:00Z',
    body: [
      'The council’s draft budget for next year raises council tax by the maximum allowed without a referendum, while restoring the free green-waste collection it scrapped two years ago.',
      'The budget goes to a final vote in February.',
    ],
    tags: ['Budget', 'City council'],
  },
  {
    id: 'riverside-cycle-lanes',
    section: 'City',
    headline: 'Riverside cycle lanes, a year on: what the traffic counts say',
    standfirst: 'Bike journeys have doubled on the embankment. Car traffic on the parallel streets has barely moved.',
    author: 'Priya Natarajan',
    role: 'Data reporter',
    published: '2026-11-18T06:00:00Z',
    body: [
      'A year after the protected lanes opened along the river, the council’s automatic counters recorded an average of 3,900 bike journeys a day in October, up from 1,850 before.',
      'Motor traffic on the two parallel streets rose by 3%, within the normal variation from year to year.',
    ],
    tags: ['Cycling', 'Data'],
  },
];

/** The story shown for an article id: its own, else the first one (shown under the asked id). */
export function storyFor(articleId: string): DemoStory {
  return STORIES.find((s) => s.id === articleId) ?? { ...STORIES[0], id: articleId };
}

/** The sidebar's "Most read" list. */
export function mostRead(): readonly DemoStory[] {
  return STORIES;
}
