// "Did you mean …?" for misspelt layer kinds, parameter names and layer references.

/** Levenshtein distance with transpositions counted as one edit (Damerau, optimal string alignment). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** The closest candidate within a distance that scales with the word's length, if any. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const normalized = candidate.toLowerCase();
    // Spelling variants: MaxPool2d, max_pool2d, maxpool_2d all mean maxpool2d.
    const distance = normalized.replace(/_/g, '') === lower.replace(/_/g, '') ? 0 : editDistance(lower, normalized);
    if (distance < bestDistance && distance <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The `count` candidates nearest to `word`, nearest first (ties keep the candidates' order),
 * however far: for messages that point at a few likely names instead of listing all of them. A
 * candidate containing the word (or contained in it) counts as close.
 */
export function closestMatches(word: string, candidates: readonly string[], count: number): string[] {
  const lower = word.toLowerCase().replace(/_/g, '');
  const scored = candidates.map((candidate, order) => {
    const normalized = candidate.toLowerCase().replace(/_/g, '');
    const contains = lower.length > 0 && (normalized.includes(lower) || lower.includes(normalized));
    const distance =
      normalized === lower ? 0 : editDistance(lower, normalized) - (contains ? 0.5 * Math.min(lower.length, normalized.length) : 0);
    return { candidate, distance, order };
  });
  scored.sort((a, b) => a.distance - b.distance || a.order - b.order);
  return scored.slice(0, count).map((s) => s.candidate);
}
