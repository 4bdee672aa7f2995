// A problem with a spec or its inputs that shows only when the program runs (it depends on the
// data or on trained results), such as Semantic IDs that do not separate the catalogue. The CLI
// prints its message as an error and exits 1, like a diagnostic, rather than as an internal failure.
export class SpecRunError extends Error {
  override readonly name = "SpecRunError";
}
