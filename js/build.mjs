// Bundles one ES module per annotator (js/<name>.ts -> nbannotate/static/<name>.js, plus
// <name>.css when the entry imports CSS). `--watch` rebuilds on change (use with
// `%env ANYWIDGET_HMR=1` in the notebook).
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const watch = process.argv.includes("--watch");
const entryPoints = readdirSync(here)
  .filter((name) => name.endsWith(".ts") && name !== "types.ts" && !name.endsWith(".d.ts"))
  .map((name) => join(here, name));

const options = {
  entryPoints,
  outdir: join(here, "..", "nbannotate", "static"),
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: !watch,
  sourcemap: watch ? "inline" : false,
  legalComments: "none",
  logLevel: "info",
};

if (watch) {
  const context = await esbuild.context(options);
  await context.watch();
} else {
  await esbuild.build(options);
}
