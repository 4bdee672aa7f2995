// The linter: ESLint's recommended rules and typescript-eslint's, over the sources, tests, benches
// and scripts (generated programs are checked by the compiler's own tests). `npm test` runs it.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "native/build/", "generated/", ".cache/", "runs/", "bench/results/", "src/ir/ir-validator.generated.js", "editors/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", Buffer: "readonly", setTimeout: "readonly", clearTimeout: "readonly", performance: "readonly" },
    },
    rules: {
      // A leading underscore marks a value left out on purpose (a destructured key dropped, an unused parameter of a callback shape).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // Matching control characters is the point of the escaping and printing code (escape.ts, printable.ts, render.ts).
      "no-control-regex": "off",
    },
  },
);
