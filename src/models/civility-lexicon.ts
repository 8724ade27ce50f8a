/**
 * Word families that abuse is made of, written for this project (no outside list): each word of a
 * comment that belongs to one adds the family's feature (`lex:insult`…), whose weight training sets
 * from every comment that used any word of the family. 4,000 rated comments cannot teach the weight of
 * each insult one by one; a family's weight carries to the words a site's readers use and the sample
 * never saw ("nitwit", "f*ck"). Words that are mostly harmless ("hell", "kill time") are left out:
 * the words themselves still learn their own weights.
 */
export type LexiconFamily = 'insult' | 'obscene' | 'threat' | 'slur' | 'group' | 'dismissive';

/** `word` matches that word; `word*` matches words starting with it (only for stems no common word shares). */
const FAMILIES: Readonly<Record<LexiconFamily, string>> = {
  insult: `idiot* moron* imbecil* stupid* dumb dumber dumbest dumbass* dimwit* nitwit* halfwit* numbskull* nincompoop* cretin*
    fool fools foolish buffoon* clown clowns loser losers jerk jerks scum scumbag* lowlife* degenerate degenerates
    pathetic ignorant ignoramus* hypocrit* liar liars coward cowards cowardly troll trolls traitor traitors
    bigot bigots bigoted racist racists nazi nazis fascist fascists commie commies libtard* retard* snowflake snowflakes
    sheeple deplorable deplorables brainless clueless incompetent useless worthless parasite parasites vermin
    weasel weasels shill shills lunatic lunatics nutjob* nutcase* psycho psychos deranged delusional
    ugly disgusting despicable vile creep creeps creepy crook crooks thug thugs moronic asinine
    jackass* ass asses asshole* arsehole* dick dicks dickhead* prick pricks bastard* bitch* twat* wanker* douche*
    pig pigs swine slimy slimeball* sleazebag* dirtbag* scumbucket* idiocy inbred hillbilly hillbillies redneck rednecks
    morons dope dopes dolt dolts twit twits puppet stooge stooges sucker suckers filthy scumbags`,
  obscene: `fuck* f*ck f**k fck fuk fukin motherfuck* shit shits shitty shithead* shithole* bullshit* horseshit* crap crappy
    piss pissed pissing damn damned dammit goddamn* cock cocks cocksucker* pussy pussies cunt* tits titties boob boobs
    whore* slut* blowjob* porn wtf stfu screw screwed sucks suck sucking butt butthole* arse`,
  threat: `kill killing killed killer kills murder* shoot shoots shooting shot hang hanged hanging lynch* stab stabs stabbed hurt
    strangle* choke beat beaten beating punch punched execute executed exterminat* slaughter* bullet bullets gun guns
    rope burn burned die dies dying dead death deaths hunt hunted destroy eliminate`,
  slur: `nigger* nigga* negro negroes faggot* fag fags dyke dykes tranny trannies kike kikes spic spics chink chinks wetback*
    raghead* towelhead* savage savages subhuman* gook gooks beaner* coon coons`,
  group: `muslim muslims islam islamic islamist islamists jew jews jewish black blacks white whites gay gays lesbian lesbians
    homosexual homosexuals homosexuality trans transgender immigrant immigrants mexican mexicans christian christians
    catholic catholics women woman feminist feminists native natives indian indians asian asians chinese arab arabs
    african africans refugee refugees liberal liberals conservative conservatives democrat democrats republican republicans
    leftist leftists progressive progressives men male males female females`,
  dismissive: `ridiculous absurd nonsense rubbish garbage trash crazy insane silly laughable lame whining whiner whiners
    crybaby crybabies hysterical stupidity ignorance idiotic`,
};

interface Lexicon {
  exact: Map<string, LexiconFamily[]>;
  prefixes: Map<string, LexiconFamily[]>;
  /** Masked spellings ("f*ck") by length, matched letter for letter with * standing for any letter. */
  words: string[];
}

function build(): Lexicon {
  const exact = new Map<string, LexiconFamily[]>();
  const prefixes = new Map<string, LexiconFamily[]>();
  const words = new Set<string>();
  const add = (map: Map<string, LexiconFamily[]>, key: string, family: LexiconFamily) => {
    const list = map.get(key) ?? [];
    if (!list.includes(family)) list.push(family);
    map.set(key, list);
  };
  for (const [family, list] of Object.entries(FAMILIES) as [LexiconFamily, string][]) {
    for (const entry of list.split(/\s+/)) {
      if (!entry) continue;
      if (entry.endsWith('*') && !entry.slice(0, -1).includes('*')) {
        add(prefixes, entry.slice(0, -1), family);
        words.add(entry.slice(0, -1));
      } else {
        add(exact, entry, family);
        if (!entry.includes('*')) words.add(entry);
      }
    }
  }
  return { exact, prefixes, words: [...words] };
}

const LEXICON = build();
const MIN_PREFIX = 3;
const MAX_PREFIX = 14;

/** The families a (folded) word belongs to; empty for most words. */
export function lexiconFamilies(word: string): readonly LexiconFamily[] {
  const exact = LEXICON.exact.get(word);
  if (exact) return exact;
  for (let n = Math.min(word.length, MAX_PREFIX); n >= MIN_PREFIX; n -= 1) {
    const hit = LEXICON.prefixes.get(word.slice(0, n));
    if (hit) return hit;
  }
  return [];
}

/**
 * A masked word ("f*ck", "sh!t" arrives as "sh" + "t", so only "*" is read) spelled out when one
 * lexicon word fits it letter for letter; the word unchanged otherwise.
 */
export function unmask(word: string): string {
  if (!word.includes('*') || word.length > MAX_PREFIX) return word;
  const fits = (candidate: string) => {
    if (candidate.length < word.length) return false;
    for (let i = 0; i < word.length; i += 1) if (word[i] !== '*' && word[i] !== candidate[i]) return false;
    return candidate.length === word.length;
  };
  const found = LEXICON.words.filter(fits);
  return found.length === 1 ? (found[0] as string) : word.replace(/\*/g, '');
}

/**
 * Stock abuse said in ordinary words ("shut up", "go to hell"): no word of it is an insult, so neither the
 * words nor the families see it, and 4,000 rated comments hold too few to learn it as a phrase. Each adds
 * `lex:phrase` (`lex:phrase_threat` for wishes of death), whose prior stands where the sample is silent.
 * Words as the tokenizer folds them; matched word for word.
 */
const PHRASES: Readonly<Record<'phrase' | 'phrase_threat', string>> = {
  phrase: `shut up | go to hell | go back to where you came from | go back where you came from | piece of shit | piece of garbage
    | piece of trash | pieces of shit | scum of the earth | screw you | eat shit | son of bitch | sons of bitches | get lost
    | bite me | up yours | shove it`,
  phrase_threat: `kill yourself | kys | hope you die | drop dead | should be shot | should be hanged | deserve to die | should die
    | hope they die | go die`,
};

/** Phrases by first word: the rest of each phrase, and its family. */
const PHRASE_INDEX: ReadonlyMap<string, readonly { rest: readonly string[]; feature: string }[]> = (() => {
  const index = new Map<string, { rest: string[]; feature: string }[]>();
  for (const [family, list] of Object.entries(PHRASES)) {
    for (const phrase of list.split('|')) {
      const words = phrase.trim().split(/\s+/);
      const first = words[0];
      if (!first) continue;
      const entries = index.get(first) ?? [];
      entries.push({ rest: words.slice(1), feature: `lex:${family}` });
      index.set(first, entries);
    }
  }
  return index;
})();

/** The phrases that start with this (folded) word; empty for nearly every word. */
export function phrasesFrom(word: string): readonly { rest: readonly string[]; feature: string }[] {
  return PHRASE_INDEX.get(word) ?? [];
}

/**
 * What a family is known to weigh before any data, in log-odds per attribute: training starts each
 * family feature here and its ridge penalty pulls towards it, so the 4,000 rated comments override it
 * where they have evidence and it stands where they have little. Civil Comments has few threats and
 * slurs aimed at a reader ("I hope someone shoots you" scored 0.03 without it); a crowd rates nearly
 * all of them toxic.
 */
export const FAMILY_PRIORS: Readonly<Record<string, Partial<Record<'toxicity' | 'severe_toxicity' | 'insult' | 'threat' | 'identity_attack' | 'obscene', number>>>> = {
  '@lex:threat': { toxicity: 2.5, threat: 3.5, severe_toxicity: 1 },
  'lex:phrase': { toxicity: 2.5, insult: 2 },
  'lex:phrase_threat': { toxicity: 3, threat: 3.5, severe_toxicity: 1.5 },
  'lex:slur': { toxicity: 2.5, identity_attack: 3, severe_toxicity: 1, insult: 1 },
  '@lex:slur': { toxicity: 1, identity_attack: 1, insult: 1 },
  '@lex:obscene': { toxicity: 1.5, obscene: 2, insult: 1 },
  'lex:obscene': { toxicity: 0.5, obscene: 1.5 },
  '@lex:insult': { toxicity: 1.5, insult: 2 },
  'lex:insult': { toxicity: 0.5, insult: 0.5 },
};
