// make frontend (= cd frontend && npm ci && node build.mjs): rebuilds the trimmed
// Bootstrap Italia files vendored under static/vendor/bootstrap-italia-<version>/
// from the npm package pinned in package-lock.json. The output is committed, so
// the site needs no npm; run this again when a template starts using a class or a
// JavaScript component of Bootstrap Italia it did not use before (the test
// tests/core/test_frontend.py says so when it happens).
//
// - js/bootstrap-italia.site.min.js: esbuild bundle of bootstrap-italia.site.js
//   (the components the site uses, and Popper for the dropdown).
// - css/bootstrap-italia.site.min.css: the package's full bootstrap-italia.min.css
//   without the rules no template, no script of ours and no script we ship can
//   match (PurgeCSS over templates/, static/js/ and the vendored scripts).
// - bootstrap-italia-classes.txt (here): every class name of the full CSS, one a
//   line, marked "+" when the sources mentioned it at build time: the test catches
//   a template that starts using a class this build dropped the rules of.
import { readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import fg from "fast-glob";
import postcss from "postcss";
import { PurgeCSS } from "purgecss";

const here = (path) => new URL(path, import.meta.url).pathname;
const PACKAGE = here("node_modules/bootstrap-italia/");
const VERSION = JSON.parse(readFileSync(`${PACKAGE}package.json`)).version;
const OUT = here(`../static/vendor/bootstrap-italia-${VERSION}/`);
const BUILT_BY = "trimmed by frontend/build.mjs, see static/vendor/README.md";

await build({
  entryPoints: [here("bootstrap-italia.site.js")],
  outfile: `${OUT}js/bootstrap-italia.site.min.js`,
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2019"],
  legalComments: "none",
  banner: {
    js: `/*! Bootstrap Italia ${VERSION} (BSD-3-Clause, https://italia.github.io/bootstrap-italia/) and Popper 2 (MIT): only the components in frontend/bootstrap-italia.site.js; ${BUILT_BY} */`,
  },
  logLevel: "info",
});

// Attributes and classes that scripts set at run time under names our sources
// do not spell out (Bootstrap's dropdown sets data-bs-popper="static" in some
// layouts; Bootstrap Italia composes a few names from parts).
const SET_AT_RUN_TIME = ["data-bs-popper", "backdrop", "modal-backdrop", "offcanvas-backdrop"];

// The sources whose words PurgeCSS looks for (tests/core/test_frontend.py reads
// the same ones).
const CONTENT = [
  "../templates/**/*.html",
  "../static/js/**/*.js",
  "../static/vendor/*/js/*.js",
  "../static/vendor/htmx-*/*.js",
];
const contentFiles = fg.sync(CONTENT.map(here)).sort();

const fullCss = readFileSync(`${PACKAGE}dist/css/bootstrap-italia.min.css`, "utf8");
const [purged] = await new PurgeCSS().purge({
  content: [...contentFiles, { raw: SET_AT_RUN_TIME.join(" "), extension: "html" }],
  css: [{ raw: fullCss }],
  safelist: {
    // alert-{{ message.level_tag }} (templates/includes/messages.html)
    standard: [/^alert-(success|info|warning|danger)$/],
  },
  keyframes: true,
  fontFace: false,
  variables: false,
});
const css = purged.css
  .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, "")
  .replace(/^\s*\/\*![\s\S]*?\*\/\s*/, "");
writeFileSync(
  `${OUT}css/bootstrap-italia.site.min.css`,
  `/*! Bootstrap Italia ${VERSION} (BSD-3-Clause, https://italia.github.io/bootstrap-italia/): only the rules the site's templates and scripts can match; ${BUILT_BY} */\n${css}\n`,
);

// The class names of the full CSS, "+ name" for those the sources above mention
// (what this build kept rules for), "- name" for the others.
const classes = new Set();
postcss.parse(fullCss).walkRules((rule) => {
  const selector = rule.selector.replace(/"[^"]*"|'[^']*'/g, "");
  for (const match of selector.matchAll(/\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)/g)) {
    classes.add(match[1]);
  }
});
const mentioned = new Set();
for (const file of contentFiles) {
  for (const token of readFileSync(file, "utf8").match(/[A-Za-z0-9_-]+/g) || []) {
    mentioned.add(token);
  }
}
SET_AT_RUN_TIME.forEach((token) => mentioned.add(token));
writeFileSync(
  here("bootstrap-italia-classes.txt"),
  [...classes]
    .sort()
    .map((name) => `${mentioned.has(name) ? "+" : "-"} ${name}`)
    .join("\n") + "\n",
);

console.log(
  `css: ${fullCss.length} -> ${css.length} bytes; ${classes.size} class names listed`,
);
