/**
 * What this API needs of the civility model (src/models/civility.ts, issue 17): scores and the words
 * behind them. Declared here, structurally, so the routes do not depend on how the model is built.
 */
export type CivilityAttribute = 'toxicity' | 'severe_toxicity' | 'insult' | 'threat' | 'identity_attack' | 'obscene';

export interface CivilityAssessment {
  /** Calibrated probabilities, 0..1. */
  scores: Record<CivilityAttribute, number>;
  /** The words that weighed most, with their UTF-16 offsets in the text. */
  evidence: Array<{ word: string; start: number; end: number; attribute: CivilityAttribute; weight: number }>;
}

export interface CivilityScorer {
  /** `evidence: false`: scores only (cheaper). */
  assess(text: string, opts?: { evidence?: boolean }): CivilityAssessment;
}

/** A bounded, undoable lesson to the site's civility model, and taking it back. */
export interface CivilityTeacher {
  teach(lesson: { text: string; label: 'civil' | 'abusive'; key: string }): Promise<void>;
  takeBack(key: string): Promise<void>;
}
