// Tells errors that describe the user's situation (a missing run, an unknown backend, bad data, a
// NaN loss) from bugs: takes a thrown value and gives the one-line message to print with exit status
// 1, or null for an internal error whose stack should be shown.
import { DataError } from "../data/data-error.js";

export function userFacingMessage(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  const text = error instanceof DataError ? error.toString() : error.message;
  // Run errors carry a run-time diagnostic code (RS6xxx).
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^RS6\d{3}$/.test(code)) return `[${code}] ${text}`;
  const known =
    error instanceof DataError ||
    /^(nothing to |backend "|training stopped|loss became|the loss)/i.test(error.message) ||
    error.name === "NonFiniteLossError" ||
    error.name === "SpecRunError";
  return known ? text : null;
}
