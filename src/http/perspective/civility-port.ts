/** What this API uses of the civility model (src/models/civility.ts, issue 17). */
export type { CivilityAssessment, CivilityAttribute, CivilityScorer } from '../../models/civility';

/** A bounded, undoable lesson to the site's civility model, and taking it back. */
export interface CivilityTeacher {
  teach(lesson: { text: string; label: 'civil' | 'abusive'; key: string }): Promise<void>;
  takeBack(key: string): Promise<void>;
}
