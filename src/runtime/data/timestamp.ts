// What a timestamp in a data file may be. Takes the number a reader parsed; gives the reason it is
// not a usable time, or null when it is. Times only order each user's interactions, so any unit
// works, but a negative, non-finite or far-future value is a broken export (a sentinel like -1, an
// overflowed counter, nanoseconds), not a time: accepted are finite numbers from 0 (1970) up to the
// start of year 3000 read as milliseconds — which admits seconds and milliseconds since 1970 and
// plain sequence numbers, and refuses microseconds and nanoseconds.

/** 3000-01-01T00:00:00Z in milliseconds since 1970. */
export const MAX_TIMESTAMP = Date.UTC(3000, 0, 1);

export function timestampProblem(t: number): string | null {
  if (!Number.isFinite(t)) return "is not a finite number";
  if (t < 0) return "is negative (before 1970)";
  if (t >= MAX_TIMESTAMP) return `is beyond the year 3000 even as milliseconds (at most ${MAX_TIMESTAMP - 1}; seconds or milliseconds since 1970 are expected)`;
  return null;
}
