// Side-effect import for tests that differentiate. tfjs-core's Node bundle (its "main") registers
// no gradient functions; @tensorflow/tfjs normally does, but only tfjs-core is installed. Vitest
// can load the ESM gradient sources directly (plain Node cannot: extensionless imports), and the
// registry is global, so this makes tf.grad / tf.variableGrads work in these tests.
// The production runtime needs its own registration (see the layers report).
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
