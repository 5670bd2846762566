import tseslint from "typescript-eslint";

// lib/ is the core shared by the web app and the CLI: it must never depend on the web framework.
const webOnlyImports = {
  paths: ["next", "react", "react-dom"].map((name) => ({ name, message: "lib/ must not depend on the web app (Next/React); put UI code in app/ or components/." })),
  patterns: [
    { group: ["next/*", "react/*", "react-dom/*"], message: "lib/ must not depend on the web app (Next/React)." },
    { group: ["@/app/*", "@/components/*"], message: "lib/ must not import from app/ or components/." },
  ],
};

export default tseslint.config(
  {
    ignores: ["lib/store/generated/**", ".next*/**", "node_modules/**", "data/**", "scratch/**", "bench/out/**", "test-results/**", "playwright-report/**", "next-env.d.ts"],
  },
  {
    files: ["**/*.{ts,tsx}"],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A dropped promise leaks child processes and MCP sessions.
      "@typescript-eslint/no-floating-promises": [
        "error",
        // node:test runs top-level tests itself; their returned promises are not for the caller.
        { allowForKnownSafeCalls: [{ from: "package", package: "node:test", name: ["test", "it", "describe", "suite"] }] },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["lib/**"],
    rules: { "no-restricted-imports": ["error", webOnlyImports] },
  },
);
