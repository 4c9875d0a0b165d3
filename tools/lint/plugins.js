// What the repository's eslint.config.js imports, resolved from this workspace so that typescript-eslint
// (and ts-api-utils) load the TypeScript 5.9 nested here (see package.json), not the TypeScript 7 at the root.
export { defineConfig, globalIgnores } from "eslint/config";
export { default as js } from "@eslint/js";
export { default as tseslint } from "typescript-eslint";
export { importX, createNodeResolver } from "eslint-plugin-import-x";
export { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
export { default as reactHooks } from "eslint-plugin-react-hooks";
export { default as prettierConfig } from "eslint-config-prettier/flat";
export { default as globals } from "globals";
