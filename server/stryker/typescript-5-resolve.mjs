export async function resolve(specifier, context, nextResolve) {
  if (specifier === "typescript" && context.parentURL?.includes("/node_modules/@stryker-mutator/")) {
    return nextResolve("typescript-5", context);
  }
  return nextResolve(specifier, context);
}
