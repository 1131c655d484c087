// "Did you mean …?" for misspelt layer kinds, parameter names and layer references.
//
// A suggestion is at most MAX_SUGGESTION_DISTANCE edits away, so the distance never needs more
// than a band of 2·limit + 1 cells around the diagonal, and a word whose length differs from a
// candidate's by more than the limit is skipped without looking at its characters: a 20,000-
// character name costs a few hundred thousand cell updates against a name of the same length
// and nothing against the rest. Layer references, which can be many in one file, go through
// ReferenceSuggester: names grouped by length, and a work budget per file after which unknown
// references get no suggestion (the error itself is still reported).

/** No suggestion is further than this many edits from the word. */
export const MAX_SUGGESTION_DISTANCE = 3;

/**
 * Levenshtein distance with transpositions counted as one edit (Damerau, optimal string
 * alignment), or `limit + 1` as soon as it is known to exceed `limit`. Memory O(min length),
 * time O(length · (2·limit + 1)).
 */
export function boundedEditDistance(a: string, b: string, limit: number): number {
  if (a.length > b.length) [a, b] = [b, a];
  const over = limit + 1;
  if (b.length - a.length > limit) return over;
  if (a.length === 0) return b.length;
  const cols = b.length + 1;
  // Three rows (the transposition looks two rows back); cells outside the band hold `over`.
  let twoBack = new Array<number>(cols).fill(over);
  let previous = new Array<number>(cols).fill(over);
  let current = new Array<number>(cols).fill(over);
  for (let j = 0; j <= Math.min(limit, b.length); j++) previous[j] = j;
  let previousMin = 0;
  for (let i = 1; i <= a.length; i++) {
    const from = Math.max(1, i - limit);
    const to = Math.min(b.length, i + limit);
    current.fill(over, Math.max(0, from - 1), Math.min(cols, to + 2));
    current[0] = i <= limit ? i : over;
    let rowMin = current[0]!;
    for (let j = from; j <= to; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, twoBack[j - 2]! + 1);
      current[j] = Math.min(best, over);
      if (current[j]! < rowMin) rowMin = current[j]!;
    }
    // A cell comes from its row's left neighbour, the row above (+0 or +1) or, by a
    // transposition, two rows above (+1): once this row is over the limit and the one above it
    // is at least the limit, no later row can come back under it.
    if (rowMin > limit && previousMin >= limit) return over;
    previousMin = rowMin;
    [twoBack, previous, current] = [previous, current, twoBack];
  }
  return Math.min(previous[b.length]!, over);
}

/** How many edits a word of this length may be from a suggestion. */
export function suggestionLimit(word: string): number {
  return Math.max(1, Math.min(MAX_SUGGESTION_DISTANCE, Math.floor(word.length / 3)));
}

function spellingKey(word: string): string {
  // Spelling variants: MaxPool2d, max_pool2d, maxpool_2d all mean maxpool2d.
  return word.toLowerCase().replace(/_/g, '');
}

/** The closest candidate within a distance that scales with the word's length, if any. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const key = spellingKey(word);
  const limit = suggestionLimit(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) > limit && candidate.replace(/_/g, '').length !== key.length) continue;
    const distance =
      spellingKey(candidate) === key ? 0 : boundedEditDistance(lower, candidate.toLowerCase(), Math.min(limit, bestDistance - 1));
    if (distance < bestDistance && distance <= limit) {
      best = candidate;
      bestDistance = distance;
      if (distance === 0) break;
    }
  }
  return best;
}

/** Cell updates one file may spend on reference suggestions (a few tens of milliseconds). */
export const REFERENCE_SUGGESTION_BUDGET = 20_000_000;

/**
 * Suggestions for unknown layer references: the candidates are the names defined before the
 * reference, grouped by length so a lookup only compares names within the edit limit. The work
 * is capped per file (REFERENCE_SUGGESTION_BUDGET), so a file with thousands of unknown
 * references stays linear: the first ones get suggestions, the rest only their error.
 */
export class ReferenceSuggester {
  /** Names by length, each with the position it becomes available from, in order. */
  private readonly byLength = new Map<number, { name: string; lower: string; position: number }[]>();
  /** First position of each spelling variant (distance 0). */
  private readonly bySpelling = new Map<string, { name: string; position: number }>();
  private spent = 0;

  constructor(names: Iterable<{ name: string; position: number }>) {
    for (const { name, position } of names) {
      const list = this.byLength.get(name.length) ?? [];
      list.push({ name, lower: name.toLowerCase(), position });
      this.byLength.set(name.length, list);
      const key = spellingKey(name);
      if (!this.bySpelling.has(key)) this.bySpelling.set(key, { name, position });
    }
  }

  /** Whether the budget ran out (later lookups return undefined). */
  get exhausted(): boolean {
    return this.spent >= REFERENCE_SUGGESTION_BUDGET;
  }

  /** The closest name available before `position` (candidates with a smaller position). */
  closest(word: string, position: number): string | undefined {
    const variant = this.bySpelling.get(spellingKey(word));
    if (variant && variant.position < position) return variant.name;
    const limit = suggestionLimit(word);
    const lower = word.toLowerCase();
    let best: { name: string; distance: number; position: number } | undefined;
    for (let length = word.length - limit; length <= word.length + limit; length++) {
      for (const candidate of this.byLength.get(length) ?? []) {
        if (candidate.position >= position) break;
        if (this.exhausted) return undefined;
        const bound = Math.min(limit, (best?.distance ?? Infinity) - 1);
        this.spent += (Math.min(word.length, length) + 1) * (2 * limit + 1);
        const distance = boundedEditDistance(lower, candidate.lower, bound);
        if (
          distance <= bound &&
          (!best || distance < best.distance || (distance === best.distance && candidate.position < best.position))
        ) {
          best = { name: candidate.name, distance, position: candidate.position };
        }
      }
    }
    return best?.name;
  }
}

/**
 * The `count` candidates nearest to `word`, nearest first (ties keep the candidates' order),
 * however far: for messages that point at a few likely names instead of listing all of them. A
 * candidate containing the word (or contained in it) counts as close.
 */
export function closestMatches(word: string, candidates: readonly string[], count: number): string[] {
  // Kind names are short: 64 characters of the word are plenty to rank them, and bound the work.
  const lower = word.slice(0, 64).toLowerCase().replace(/_/g, '');
  const scored = candidates.map((candidate, order) => {
    const normalized = candidate.toLowerCase().replace(/_/g, '');
    const contains = lower.length > 0 && (normalized.includes(lower) || lower.includes(normalized));
    const distance =
      normalized === lower
        ? 0
        : boundedEditDistance(lower, normalized, Math.max(lower.length, normalized.length)) -
          (contains ? 0.5 * Math.min(lower.length, normalized.length) : 0);
    return { candidate, distance, order };
  });
  scored.sort((a, b) => a.distance - b.distance || a.order - b.order);
  return scored.slice(0, count).map((s) => s.candidate);
}
