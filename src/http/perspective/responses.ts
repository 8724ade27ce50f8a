import type { CivilityAssessment, CivilityAttribute } from './civility-port';
import type { AnalyzeRequest } from './requests';

/** Perspective's score object. Only probabilities exist here. */
interface Score {
  value: number;
  type: 'PROBABILITY';
}
interface SpanScore {
  begin: number;
  end: number;
  score: Score;
}
export interface AttributeScores {
  summaryScore: Score;
  spanScores: SpanScore[];
}
export interface AnalyzeResponse {
  attributeScores: Record<string, AttributeScores>;
  languages: string[];
  detectedLanguages: string[];
  clientToken?: string;
}

const probability = (v: number): Score => ({ value: Math.min(1, Math.max(0, Number.isFinite(v) ? v : 0)), type: 'PROBABILITY' });

/** Code points before UTF-16 offset `at`: Perspective's offsets count characters, not UTF-16 units. */
function codePointOffset(text: string, at: number): number {
  let surrogates = 0;
  for (let i = 0; i < at && i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff && i > 0) surrogates += 1;
  }
  return Math.min(at, text.length) - surrogates;
}

/** Whether a word of evidence speaks for `attribute`: toxicity (and severe toxicity) are any kind of abuse. */
const evidenceFor = (attribute: CivilityAttribute, evidenceAttribute: CivilityAttribute) =>
  attribute === evidenceAttribute || attribute === 'toxicity' || attribute === 'severe_toxicity';

/**
 * The analyze answer. Without `spanAnnotations` each attribute has one span, the whole comment (as
 * Perspective answered by default). With it, one span per word the model weighed for that attribute,
 * scored by `wordScore` (the model's probability for that word alone); the whole comment when none.
 */
export function analyzeResponse(
  req: AnalyzeRequest,
  assessment: CivilityAssessment,
  detectedLanguage: string,
  wordScore: (word: string, attribute: CivilityAttribute) => number,
): AnalyzeResponse {
  const whole = codePointOffset(req.text, req.text.length);
  const attributeScores: Record<string, AttributeScores> = {};
  for (const attr of req.attributes) {
    const summaryScore = probability(assessment.scores[attr.civility]);
    if (attr.scoreThreshold !== undefined && summaryScore.value < attr.scoreThreshold) continue;
    let spanScores: SpanScore[] = [{ begin: 0, end: whole, score: summaryScore }];
    if (req.spanAnnotations) {
      const words = assessment.evidence.filter((e) => evidenceFor(attr.civility, e.attribute) && e.end > e.start);
      if (words.length) {
        spanScores = words
          .map((e) => ({ begin: codePointOffset(req.text, e.start), end: codePointOffset(req.text, e.end), score: probability(wordScore(e.word, attr.civility)) }))
          .sort((a, b) => a.begin - b.begin);
      }
    }
    attributeScores[attr.name] = { summaryScore, spanScores };
  }
  return {
    attributeScores,
    languages: req.languages ?? [detectedLanguage],
    detectedLanguages: [detectedLanguage],
    ...(req.clientToken !== undefined ? { clientToken: req.clientToken } : {}),
  };
}
