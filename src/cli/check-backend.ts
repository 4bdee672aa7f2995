// `--backend NAME` is checked before any work starts (compiling, loading data), against the names
// the runtime's backend selection accepts. Takes the option's value; throws a UsageError listing them.
import { BACKEND_NAMES } from "../runtime/backend/select-backend.js";
import { UsageError } from "./io.js";

export function checkBackend(name: string | undefined): void {
  if (name === undefined || (BACKEND_NAMES as readonly string[]).includes(name)) return;
  throw new UsageError(`unknown backend \`${name}\`; --backend takes one of ${BACKEND_NAMES.join(", ")}`);
}
