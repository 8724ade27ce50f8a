/** Notes kept per import: the first ones are enough to see what is odd; the rest are counted. */
export const MAX_NOTES = 50;

/** A bounded list of notes about oddities in a file. */
export class Notes {
  readonly list: string[] = [];
  dropped = 0;
  add(note: string): void {
    if (this.list.length < MAX_NOTES) this.list.push(note);
    else this.dropped += 1;
  }
  all(): string[] {
    return this.dropped ? [...this.list, `… and ${this.dropped} more notes`] : [...this.list];
  }
}
