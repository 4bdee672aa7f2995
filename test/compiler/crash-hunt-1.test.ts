// Crash hunt, part 1 of 4 (cases 0 to 2499 of test/helpers/crash-hunt.ts): mutated and random specs
// through `recspec check` and `recspec fmt` must exit 0 or 1, with no internal error or stack trace,
// each command within a second of CPU time. The parts are separate files so that vitest runs them
// side by side.
import { describeHuntPart } from "../helpers/crash-hunt.js";

describeHuntPart(1, 4);
