// ESLint for server/, web/, tools/ and examples/ (`npm run lint`, part of `npm test`). The plugins come from the tools/lint
// workspace, where typescript-eslint gets the TypeScript 5.9 it needs (the project builds with TypeScript 7,
// which has no JavaScript API). Formatting is Prettier's (`npm run format:check`): eslint-config-prettier,
// last, turns off every stylistic rule that could disagree with it.
import { readdirSync } from "node:fs";
import {
  createNodeResolver,
  createTypeScriptImportResolver,
  defineConfig,
  globalIgnores,
  globals,
  importX,
  js,
  prettierConfig,
  reactHooks,
  tseslint,
} from "@switchboard/lint";

const webFeatures = readdirSync(new URL("./web/src/features", import.meta.url), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

export default defineConfig(
  globalIgnores([
    // Generated (never linted or edited by hand)
    "server/src/generated/",
    "web/src/graphql/",
    "examples/node-client/src/graphql/",
    // Build output, reports, local data
    "web/dist/",
    "web/e2e/.results/",
    "reports/",
    ".data/",
    "**/.stryker-tmp/",
  ]),

  js.configs.recommended,
  tseslint.configs.recommended,
  importX.flatConfigs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    settings: {
      // importX.flatConfigs.typescript minus its "import-x/parsers", which names @typescript-eslint/parser for
      // import-x to require() from each linted file's folder, where it is not (it lives in tools/lint):
      // without it import-x parses imported modules with the parser in use, typescript-eslint's.
      "import-x/extensions": [".ts", ".tsx", ".cts", ".mts", ".js", ".jsx", ".cjs", ".mjs"],
      "import-x/external-module-folders": ["node_modules", "node_modules/@types"],
      // Generated modules import only each other and packages: no cycle through them can involve our code.
      "import-x/ignore": ["/server/src/generated/", "/web/src/graphql/", "/examples/node-client/src/graphql/"],
      "import-x/resolver-next": [
        createTypeScriptImportResolver({
          project: ["server/tsconfig.json", "web/tsconfig.json", "tools/schema-check/tsconfig.json", "examples/node-client/tsconfig.json"],
          noWarnOnMultipleProjects: true,
        }),
        createNodeResolver(),
      ],
    },
    rules: {
      // Cycles through packages are not ours to fix, and following imports into them is most of the cost.
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      // TypeScript checks imported names and defaults already (typescript-eslint's advice: off for TypeScript);
      // import-x's versions misread CommonJS packages such as argon2, whose default import TypeScript accepts.
      "import-x/named": "off",
      "import-x/namespace": "off",
      "import-x/default": "off",
      "import-x/no-named-as-default-member": "off",
      // `const { id, ...rest } = row` leaves `id` out of `rest` on purpose.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read raw GraphQL and REST JSON bodies and assert on their values: typing each one is busywork.
    files: ["server/test/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },

  // Folder boundaries
  {
    files: ["server/**", "web/**"],
    rules: {
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./server/src",
              from: ["./server/test", "./server/fakes", "./server/bench", "./server/scripts"],
              message: "Shipped code does not depend on tests, fakes, benchmarks or scripts.",
            },
            {
              target: "./server/src/modules",
              from: "./server/src/http",
              message: "Feature modules are transport-independent: the HTTP layer calls them, not the other way round.",
            },
            {
              target: "./server/src/modules",
              from: "./server/src/graphql",
              except: ["./context.ts", "./current-principal.ts", "./enums.ts", "./money.ts"],
              message:
                "Feature modules use only the GraphQL context type, the @CurrentTenant/@CurrentUser decorators, the registered enums and the shared Money type.",
            },
            {
              target: "./server/src/jobs",
              from: "./server/src/modules",
              message: "The work engine is generic: features hand it work, it does not know them.",
            },
            // Dashboard (bulletproof-react): lib <- components <- features <- app; a feature never imports another
            // (compose two features in an app/ route; move what both need down to components/ or lib/).
            ...webFeatures.map((feature) => ({
              target: `./web/src/features/${feature}`,
              from: "./web/src/features",
              except: [`./${feature}`],
              message: "A feature does not import another feature: compose them in web/src/app, or move what they share to web/src/lib.",
            })),
            {
              target: ["./web/src/features", "./web/src/components", "./web/src/lib", "./web/src/test"],
              from: "./web/src/app",
              message: "Only web/src/main.tsx imports the app.",
            },
            {
              target: ["./web/src/components", "./web/src/lib", "./web/src/test"],
              from: "./web/src/features",
              message: "Shared code (components/, lib/) does not depend on a feature.",
            },
            {
              target: "./web/src/lib",
              from: "./web/src/components",
              message: "lib/ is the bottom layer (no React components): components/ui builds on it, not the other way round.",
            },
          ],
        },
      ],
    },
  },

  {
    files: ["web/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
    extends: [reactHooks.configs.flat["recommended-latest"]],
  },
  {
    // Playwright's fixtures take `{}` when they need no other fixture, and hand over their value with
    // a function named `use`, which is not React's.
    files: ["web/e2e/**"],
    rules: { "no-empty-pattern": "off", "react-hooks/rules-of-hooks": "off" },
  },

  prettierConfig,
);
