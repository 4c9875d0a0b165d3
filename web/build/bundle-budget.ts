import { gzipSync } from "node:zlib";
import type { Plugin } from "vite";

type Chunk = { type: "chunk"; fileName: string; code: string; isEntry: boolean; imports: string[] };
type Asset = { type: "asset"; fileName: string; source: string | Uint8Array };

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

/**
 * Prints the initial JavaScript a visitor downloads before the first page renders (the entry chunk and
 * every chunk it imports statically, gzipped) and fails the build above `budgetKb`. Lazy routes
 * (dynamic imports) are left out: they load when their page is opened.
 */
export function bundleBudget({ budgetKb }: { budgetKb: number }): Plugin {
  return {
    name: "switchboard:bundle-budget",
    apply: "build",
    generateBundle(_options, bundle) {
      const chunks = new Map(
        Object.values(bundle as Record<string, Chunk | Asset>)
          .filter((output): output is Chunk => output.type === "chunk")
          .map((chunk) => [chunk.fileName, chunk]),
      );
      const initial = new Set<string>();
      const visit = (fileName: string) => {
        if (initial.has(fileName)) return;
        initial.add(fileName);
        for (const imported of chunks.get(fileName)?.imports ?? []) visit(imported);
      };
      for (const chunk of chunks.values()) if (chunk.isEntry) visit(chunk.fileName);

      const sizes = [...initial].map((fileName) => ({ fileName, gzip: gzipSync(chunks.get(fileName)!.code).length }));
      const total = sizes.reduce((sum, { gzip }) => sum + gzip, 0);
      const css = Object.values(bundle as Record<string, Chunk | Asset>)
        .filter((output): output is Asset => output.type === "asset" && output.fileName.endsWith(".css"))
        .reduce((sum, asset) => sum + gzipSync(asset.source).length, 0);
      const lazy = [...chunks.values()].filter((chunk) => !initial.has(chunk.fileName));
      const lazyGzip = lazy.reduce((sum, chunk) => sum + gzipSync(chunk.code).length, 0);

      const line = `initial JS ${kb(total)} gzip (budget ${budgetKb} KB) in ${sizes.length} file(s); CSS ${kb(css)} gzip; ${lazy.length} lazy chunk(s), ${kb(lazyGzip)} gzip`;
      if (total > budgetKb * 1024) {
        const detail = sizes
          .sort((a, b) => b.gzip - a.gzip)
          .map(({ fileName, gzip }) => `  ${fileName} ${kb(gzip)}`)
          .join("\n");
        this.error(`${line}: over budget\n${detail}\nMove what the first page does not need behind a lazy route or a dynamic import.`);
      }
      console.log(`\n${line}`);
    },
  };
}
