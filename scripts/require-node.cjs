// Fortress needs Node 22 or newer. npm runs this first for `npm run plan`, `npm test` and `npm run bench`
// (package.json's preplan, pretest and prebench), so that an older Node stops here with a sentence rather
// than later with a test runner's glob error. Written for any Node that may still be around: ES2017
// syntax and older, CommonJS (test/node-version.test.ts holds it to that).
/* global module, require, process -- CommonJS on Node, outside the TypeScript lint config */
"use strict";

var REQUIRED_MAJOR = 22;

/** The reason a Node version (process.versions.node, with or without its "v") is too old, or null. */
function nodeVersionProblem(version) {
  var bare = String(version).replace(/^v/, "");
  var major = Number(bare.split(".")[0]);
  if (major >= REQUIRED_MAJOR) return null;
  return "Fortress needs Node " + REQUIRED_MAJOR + " or newer (you have v" + bare + ")";
}

module.exports = { nodeVersionProblem: nodeVersionProblem, REQUIRED_MAJOR: REQUIRED_MAJOR };

if (require.main === module) {
  var problem = nodeVersionProblem(process.versions.node);
  if (problem) {
    process.stderr.write(
      problem + ": install Node " + REQUIRED_MAJOR + " (https://nodejs.org), or let .ci/run install it\n",
    );
    process.exit(1);
  }
}
