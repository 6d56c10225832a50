// The one ESLint config every package extends: type-aware typescript-eslint rules (the project service reads each
// package's tsconfig.json), and process.env read only in the modules that validate it.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export const baseConfig = tseslint.config(
  { ignores: ["**/node_modules/**", "**/.next/**", "**/src/generated/**", "**/dist/**", "**/next-env.d.ts", "**/.test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      // A promise nobody awaits loses its error: the sweeper's and the heartbeat loop's failures must be seen.
      // node:test's describe and it return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["describe", "it", "test", "suite", "before", "after", "beforeEach", "afterEach"] },
          ],
        },
      ],
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      // An async function without await is how a store or a fake keeps its Promise-returning contract (a throw
      // becomes a rejection); that is not a mistake here.
      "@typescript-eslint/require-await": "off",
      // The stores and services are objects of closures, with no `this` to lose; the rule only sees method syntax.
      "@typescript-eslint/unbound-method": "off",
    },
  },
  {
    // Build scripts and config files are plain JavaScript outside any tsconfig: no type information to use.
    files: ["**/*.mjs", "**/*.js"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: "readonly", console: "readonly", URL: "readonly" },
    },
  },
  {
    // Tests read arbitrary JSON responses; typing each one would only restate the assertion.
    files: ["**/test/**/*.ts", "**/*.test.ts", "**/e2e/**/*.ts", "**/bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
);

/**
 * Configuration is read from process.env in one place per app (its env module, validated with zod), so a missing
 * or malformed setting fails at start-up with a clear message instead of deep inside a request.
 */
export const restrictEnvAccess = tseslint.config({
  files: ["**/src/**/*.ts", "**/src/**/*.tsx", "**/app/**/*.ts", "**/app/**/*.tsx"],
  ignores: ["**/env.ts", "**/*.test.ts", "**/testing.ts", "**/testing/**"],
  rules: {
    "no-restricted-properties": [
      "error",
      { object: "process", property: "env", message: "Read configuration through the app's env module (env.ts), which validates it." },
    ],
  },
});
