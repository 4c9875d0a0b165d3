// Stryker (its tsconfig preprocessor and the typescript checker) needs TypeScript's JavaScript
// compiler API, which TypeScript 7 (the native compiler the project builds with) no longer ships:
// give @stryker-mutator/* TypeScript 5.9 (installed as `typescript-5`), and nobody else.
import { register } from "node:module";

register("./typescript-5-resolve.mjs", import.meta.url);
